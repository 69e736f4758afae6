"""The trial table: paginated, sorted and filtered on the server."""

import pytest

from studies import services

pytestmark = pytest.mark.django_db


def _table(site, study, **query):
    response = site.get(f"/studies/{study.pk}/trials.json", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_pages_hold_page_size_rows_and_the_total(site, busy_study):
    body = _table(site, busy_study, page=2, page_size=15)

    assert [row["number"] for row in body["rows"]] == list(range(15, 30))
    assert body["n_total"] == 40


def test_sorts_by_value_with_missing_values_last(site, busy_study):
    rows = _table(site, busy_study, sort="value", page_size=200)["rows"]

    values = [row["value"] for row in rows]
    present = [v for v in values if v is not None]
    assert present == sorted(present)
    assert values[len(present):] == [None] * (len(values) - len(present))


def test_sorts_by_value_descending(site, busy_study):
    rows = _table(site, busy_study, sort="value", dir="desc")["rows"]

    assert rows[0]["value"] == max(row["value"] for row in rows if row["value"] is not None)


def test_sorts_by_a_numeric_param(site, busy_study):
    rows = _table(site, busy_study, sort="params.depth", dir="desc", page_size=200)["rows"]

    depths = [row["params"]["depth"] for row in rows]
    assert depths == sorted(depths, reverse=True)


def test_sorts_by_a_categorical_param_as_text(site, busy_study):
    rows = _table(site, busy_study, sort="params.kernel", page_size=200)["rows"]

    kernels = [row["params"]["kernel"] for row in rows]
    assert kernels == sorted(kernels)


def test_filters_by_state(site, busy_study):
    rows = _table(site, busy_study, state="pruned", page_size=200)["rows"]

    assert {row["state"] for row in rows} == {"pruned"}
    assert len(rows) == 8


def test_filters_by_a_param_range(site, busy_study):
    rows = _table(site, busy_study, min_depth="4", max_depth="5", page_size=200)["rows"]

    assert rows and {row["params"]["depth"] for row in rows} <= {4, 5}


def test_filters_by_a_value_range(site, busy_study):
    rows = _table(site, busy_study, min_value="0", max_value="1", page_size=200)["rows"]

    assert rows and all(0 <= row["value"] <= 1 for row in rows)


def test_unknown_sort_param_answers_400(site, busy_study):
    response = site.get(f"/studies/{busy_study.pk}/trials.json", {"sort": "params.nope"})

    assert response.status_code == 400


def test_table_query_count_is_bounded(site, busy_study, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        _table(site, busy_study, sort="params.lr", min_depth="3")


def test_the_unfiltered_totals_follow_a_trial_added_after_they_were_read(site, busy_study):
    # Without filters the totals are the study's per-revision counts (no count of every trial):
    # a new trial bumps the revision, so they are never read stale.
    before = (_table(site, busy_study)["n_total"], _table(site, busy_study, state="complete")["n_total"])
    busy_study.n_trials = 100
    busy_study.save(update_fields=["n_trials"])

    services.enqueue_trial(busy_study.pk, {"lr": 0.01, "depth": 3, "kernel": "rbf"}, value=0.5)

    after = (_table(site, busy_study)["n_total"], _table(site, busy_study, state="complete")["n_total"])
    assert before == (40, 24) and after == (41, 25)


def test_the_filtered_total_follows_a_trial_added_after_it_was_read(site, busy_study):
    # The filtered total is kept per revision and filters: a new trial bumps the revision.
    before = _table(site, busy_study, min_depth="3", state="complete")["n_total"]
    busy_study.n_trials = 100
    busy_study.save(update_fields=["n_trials"])

    services.enqueue_trial(busy_study.pk, {"lr": 0.01, "depth": 3, "kernel": "rbf"}, value=0.5)

    assert _table(site, busy_study, min_depth="3", state="complete")["n_total"] == before + 1


def test_another_page_or_sort_of_the_same_filters_counts_no_trial_again(site, busy_study,
                                                                          django_assert_num_queries):
    first = _table(site, busy_study, min_depth="3", page_size=5)

    with django_assert_num_queries(4):  # session, user, study, the page's rows: no count
        again = _table(site, busy_study, min_depth="3", page_size=5, page=2, sort="params.lr")

    other = _table(site, busy_study, min_depth="4", page_size=5)
    assert again["n_total"] == first["n_total"] == 36 and other["n_total"] == 32
