"""The wizard's data step: what it learns about a target (task.json) and what it offers (the catalogue)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard import wizard
from studies.services import upload_dataset

pytestmark = pytest.mark.django_db


def _dataset(owner, text, name="churn.csv"):
    return upload_dataset(owner, SimpleUploadedFile(name, text.encode(), "text/csv"))


def _table(n_rows=60):
    # customer_id: an ID; region: constant; churned_flag: the answer under other labels;
    # churn: missing on three rows.
    lines = ["customer_id,region,visits,churned_flag,churn"]
    for i in range(n_rows):
        answer = "yes" if i % 10 == 0 else "no"
        lines.append(f"{1000 + i},north,{i % 9},{'Y' if answer == 'yes' else 'N'},{'' if i in (1, 2, 3) else answer}")
    return "\n".join(lines) + "\n"


def test_task_json_names_columns_left_out_and_why(site, owner):
    dataset = _dataset(owner, _table())

    found = site.get(f"/datasets/{dataset.pk}/task.json", {"target": "churn"}).json()

    assert {item["name"] for item in found["excluded"]} == {"customer_id", "region"}
    assert all(item["reason"] for item in found["excluded"])


def test_task_json_flags_a_column_that_gives_the_answer_away(site, owner):
    dataset = _dataset(owner, _table())

    found = site.get(f"/datasets/{dataset.pk}/task.json", {"target": "churn"}).json()

    assert [leak["columns"] for leak in found["leakage"]] == [["churned_flag"]]
    assert "churned_flag" in found["leakage"][0]["reason"]


def test_task_json_says_how_many_rows_have_no_target(site, owner):
    dataset = _dataset(owner, _table())

    found = site.get(f"/datasets/{dataset.pk}/task.json", {"target": "churn"}).json()

    assert found["n_dropped"] == 3
    assert found["notes"][0] == "3 rows have no value in 'churn' and will be left out."


def test_task_json_proposes_a_metric_with_its_reason(site, owner):
    dataset = _dataset(owner, _table())

    found = site.get(f"/datasets/{dataset.pk}/task.json", {"target": "churn"}).json()

    assert found["task"] == "classification"
    assert found["metric"] == "balanced_accuracy"
    assert "'no'" in found["metric_reason"]


def test_task_json_for_the_guessed_target_says_why_it_was_guessed(site, owner):
    dataset = _dataset(owner, _table())

    found = site.get(f"/datasets/{dataset.pk}/task.json").json()

    assert found["target"] == "churn"
    assert "named like the column to predict" in found["target_reason"]


def test_task_json_for_another_target_is_described_too(site, owner):
    dataset = _dataset(owner, _table())

    found = site.get(f"/datasets/{dataset.pk}/task.json", {"target": "visits"}).json()

    assert found["target"] == "visits"
    assert found["n_dropped"] == 0


def test_task_json_refuses_a_constant_target_with_its_reason(site, owner):
    dataset = _dataset(owner, _table())

    response = site.get(f"/datasets/{dataset.pk}/task.json", {"target": "region"})

    assert response.status_code == 400
    assert "constant" in response.json()["detail"]


def test_let_tuner_choose_is_the_first_model_offered():
    estimators = wizard.catalogue()["estimators"]

    assert estimators[0]["name"] == "auto"
    assert set(estimators[0]["tasks"]) == {"classification", "regression"}
    assert "estimator" in estimators[0]["spaces"]["classification"]


def test_the_recommended_budget_is_offered():
    assert wizard.catalogue()["recommended_budget"] == {"n_trials": 50, "parallelism": 2}
