"""The study page and its report name an uploaded dataset by its file name and the target by its column."""

import pytest

from studies.models import Dataset
from tests.dashboard.conftest import make_study

pytestmark = pytest.mark.django_db


def _page(site, owner, file_name, page=""):
    """The study page (or `page` below it) of an auto study on an uploaded file named `file_name`
    (None: a file since deleted)."""
    reference = f"csv:{_dataset(owner, file_name).pk}" if file_name is not None else "csv:999999"
    objective = {"kind": "sklearn", "estimator": "auto", "dataset": reference, "target": "churn",
                 "metric": "balanced_accuracy", "cv": 5, "task": "classification", "exclude": []}
    study = make_study(owner, objective=objective, directions=("maximize",))
    return site.get(f"/studies/{study.pk}/{page}").content.decode()


def _dataset(owner, name):
    return Dataset.objects.create(owner=owner, name=name, file="datasets/churn.csv", n_rows=10,
                                  columns=[{"name": "churn", "kind": "categorical", "n_missing": 0, "n_unique": 2}])


def test_study_page_names_the_dataset_by_its_file_name(site, owner):
    page = _page(site, owner, "churn <2026>.csv")

    assert "on churn &lt;2026&gt;.csv → churn (Balanced accuracy)" in page
    assert "uploaded CSV #" not in page


def test_study_page_says_the_model_is_tuners_choice(site, owner):
    page = _page(site, owner, "churn.csv")

    assert "the best of every kind of model on churn.csv" in page


def test_report_names_the_dataset_by_its_file_name(site, owner):
    page = _page(site, owner, "churn.csv", "report.html")

    assert "on churn.csv → churn" in page


def test_a_deleted_dataset_is_said_to_be_deleted(site, owner):
    page = _page(site, owner, None)

    assert "on an uploaded CSV, since deleted → churn" in page


def test_report_escapes_a_dataset_name_that_looks_like_html(site, owner):
    page = _page(site, owner, "<script>alert(1)</script>.csv", "report.html")

    assert "on &lt;script&gt;alert(1)&lt;/script&gt;.csv → churn" in page
    assert "<script>alert(1)" not in page
