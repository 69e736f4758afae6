"""The study page and its report name an uploaded dataset by its file name and the target by its column."""

import pytest

from studies.models import Dataset
from tests.dashboard.conftest import make_study

pytestmark = pytest.mark.django_db


def _csv_study(owner, dataset_ref):
    objective = {"kind": "sklearn", "estimator": "auto", "dataset": dataset_ref, "target": "churn",
                 "metric": "balanced_accuracy", "cv": 5, "task": "classification", "exclude": []}
    return make_study(owner, objective=objective, directions=("maximize",))


def _dataset(owner, name):
    return Dataset.objects.create(owner=owner, name=name, file="datasets/churn.csv", n_rows=10,
                                  columns=[{"name": "churn", "kind": "categorical", "n_missing": 0, "n_unique": 2}])


def test_study_page_names_the_dataset_by_its_file_name(site, owner):
    study = _csv_study(owner, f"csv:{_dataset(owner, 'churn <2026>.csv').pk}")

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "on churn &lt;2026&gt;.csv → churn (Balanced accuracy)" in page
    assert "uploaded CSV #" not in page


def test_study_page_says_the_model_is_tuners_choice(site, owner):
    study = _csv_study(owner, f"csv:{_dataset(owner, 'churn.csv').pk}")

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "the best of every kind of model on churn.csv" in page


def test_report_names_the_dataset_by_its_file_name(site, owner):
    study = _csv_study(owner, f"csv:{_dataset(owner, 'churn.csv').pk}")

    page = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert "on churn.csv → churn" in page


def test_a_deleted_dataset_is_said_to_be_deleted(site, owner):
    study = _csv_study(owner, "csv:999999")

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "on an uploaded CSV, since deleted → churn" in page


def test_report_escapes_a_dataset_name_that_looks_like_html(site, owner):
    study = _csv_study(owner, f"csv:{_dataset(owner, '<script>alert(1)</script>.csv').pk}")

    page = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert "on &lt;script&gt;alert(1)&lt;/script&gt;.csv → churn" in page
    assert "<script>alert(1)" not in page
