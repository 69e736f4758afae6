"""The What if… panel on the study page: every visitor sees it and its JSON answers them, share
links included; only those who may run the study get "Try these parameters"."""

import json

import pytest

from studies.objectives import auto_search_space
from studies.services import share_links
from tests.roles import add_trials, make_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
PARAMS = json.dumps({"x": 0.5, "y": 0.5})


@pytest.mark.parametrize(("role", "has_try"), [("owner", True), ("editor", True), ("viewer", False)])
def test_the_panel_is_shown_and_only_runners_may_try(role, has_try, client, study, people):
    client.force_login(people[role])

    html = client.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="what-if"' in html
    assert ("data-what-if-try" in html) is has_try


def test_a_share_link_sees_the_panel_without_try_and_gets_predictions(client, study, people):
    _, token = share_links.create_share_link(study.pk, people["owner"])

    html = client.get(f"/share/{token}/").content.decode()
    answer = client.get(f"/share/{token}/what-if.json", {"params": PARAMS})

    assert 'id="what-if"' in html and "data-what-if-try" not in html
    assert answer.status_code == 200 and answer.json()["nearest_trial"]["number"] == 5


def test_a_bad_value_in_the_panel_answers_400_naming_the_parameter(client, study, people):
    client.force_login(people["viewer"])

    answer = client.get(f"/studies/{study.pk}/what-if.json", {"params": json.dumps({"x": 7, "y": 0.5})})

    assert answer.status_code == 400 and list(answer.json()) == ["params.x"]


def test_params_that_are_not_json_answer_400(client, study, people):
    client.force_login(people["viewer"])

    answer = client.get(f"/studies/{study.pk}/what-if.json", {"params": "{x"})

    assert answer.status_code == 400 and "JSON" in answer.json()["detail"]


def test_a_multi_objective_study_has_no_panel(client, people):
    study = make_study(people["owner"], directions=["minimize", "maximize"])
    client.force_login(people["owner"])

    assert 'id="what-if"' not in client.get(f"/studies/{study.pk}/").content.decode()


def test_the_advice_json_carries_the_sentence(client, study, people):
    client.force_login(people["viewer"])

    body = client.get(f"/studies/{study.pk}/advice.json").json()

    assert body["sentence"].startswith("10 more trials will likely")


def _what_if_data(html):
    return json.loads(html.split('id="what-if-data" type="application/json">')[1].split("</script>")[0])


def test_an_auto_study_s_controls_are_named_as_its_header_names_them(client, people):
    objective = {"kind": "sklearn", "estimator": "auto", "dataset": "iris", "metric": "accuracy", "cv": 3}
    study = make_study(people["owner"], space=auto_search_space("auto", "classification"), objective=objective,
                       directions=["maximize"])
    client.force_login(people["owner"])

    data = _what_if_data(client.get(f"/studies/{study.pk}/").content.decode())

    assert data["labels"]["svm__C"] == "C of support vector machine"
    assert data["labels"]["estimator"] == "kind of model"
    assert data["choice_labels"]["estimator"]["hist_gradient_boosting"] == "Gradient boosting"


def test_the_controls_of_your_own_code_keep_your_names(client, study, people):
    client.force_login(people["viewer"])

    data = _what_if_data(client.get(f"/studies/{study.pk}/").content.decode())

    assert data["labels"] == {} and data["choice_labels"] == {}


def test_the_panel_calls_the_value_by_its_name(client, people):
    named = make_study(people["owner"], objective_names=["validation loss"])
    client.force_login(people["owner"])

    html = client.get(f"/studies/{named.pk}/").content.decode()

    assert "Predicted validation loss" in html
    assert "where the best validation loss will likely be" in html
    assert '"value_name": "validation loss"' in html
