"""The trial table filters a categorical parameter by the choices picked: params.<name>=<choice>, repeated."""

import pytest

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db


def _numbers(site, study, query):
    response = site.get(f"/studies/{study.pk}/trials.json", query)
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["rows"]]


@pytest.fixture
def mixed_choices(owner):
    """Choices of every JSON kind: text, a whole number, a fraction, true/false and null."""
    space = {"kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
             "width": {"type": "categorical", "choices": [1, 2.5, "1"]},
             "shrink": {"type": "categorical", "choices": [True, False, None]}}
    study = make_study(owner, space=space)
    add_trials(study, [("complete", float(i), params) for i, params in enumerate([
        {"kernel": "rbf", "width": 1, "shrink": True},
        {"kernel": "linear", "width": 2.5, "shrink": False},
        {"kernel": "poly", "width": "1", "shrink": None},
        {"kernel": "rbf", "width": 2.5, "shrink": True},
    ])])
    return study


def test_one_choice_keeps_only_its_trials(site, mixed_choices):
    assert _numbers(site, mixed_choices, {"params.kernel": "rbf"}) == [0, 3]


def test_several_choices_keep_the_trials_of_any(site, mixed_choices):
    assert _numbers(site, mixed_choices, {"params.kernel": ["rbf", "poly"]}) == [0, 2, 3]


def test_choices_of_two_parameters_must_both_match(site, mixed_choices):
    assert _numbers(site, mixed_choices, {"params.kernel": "rbf", "params.width": "2.5"}) == [3]


def test_a_number_choice_is_sent_as_json(site, mixed_choices):
    assert _numbers(site, mixed_choices, {"params.width": "1"}) == [0]
    assert _numbers(site, mixed_choices, {"params.width": "2.50"}) == [1, 3]


def test_text_that_reads_as_json_is_sent_quoted(site, mixed_choices):
    assert _numbers(site, mixed_choices, {"params.width": '"1"'}) == [2]


def test_true_false_and_null_choices_filter_as_json(site, mixed_choices):
    assert _numbers(site, mixed_choices, {"params.shrink": "true"}) == [0, 3]
    assert _numbers(site, mixed_choices, {"params.shrink": "false"}) == [1]
    assert _numbers(site, mixed_choices, {"params.shrink": "null"}) == [2]


def test_choices_combine_with_the_state_and_range_filters(site, busy_study):
    response = site.get(f"/studies/{busy_study.pk}/trials.json",
                        {"params.kernel": "linear", "state": "complete", "min_depth": "4", "page_size": 200})

    rows = response.json()["rows"]
    assert rows and all(row["params"]["kernel"] == "linear" and row["state"] == "complete" for row in rows)
    assert all(row["params"]["depth"] >= 4 for row in rows)


def test_an_unknown_choice_answers_400_naming_it(site, mixed_choices):
    response = site.get(f"/studies/{mixed_choices.pk}/trials.json", {"params.kernel": "sigmoid"})

    assert response.status_code == 400
    assert "params.kernel" in response.json()["detail"] and "sigmoid" in response.json()["detail"]


def test_a_numeric_parameter_cannot_be_filtered_by_choices(site, busy_study):
    response = site.get(f"/studies/{busy_study.pk}/trials.json", {"params.depth": "3"})

    assert response.status_code == 400
    assert "no such categorical parameter" in response.json()["detail"]
