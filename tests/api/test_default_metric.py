"""A CSV study that names no metric gets one a constant guess cannot win, as the wizard proposes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db


def _csv(n_yes, n_no):
    rows = [f"{i},{i % 7}.5,{'yes' if i < n_yes else 'no'}" for i in range(n_yes + n_no)]
    return ("visits,spend,churn\n" + "\n".join(rows) + "\n").encode()


def _study(api, content, **objective):
    dataset = api.post("/api/datasets/", {"file": SimpleUploadedFile("churn.csv", content, "text/csv")},
                       format="multipart").data
    return api.post("/api/studies/", {
        "name": "churn",
        "objective": {"kind": "sklearn", "estimator": "auto", "dataset": dataset["reference"], "cv": 3, **objective},
        "budget": {"n_trials": 5},
    }, format="json")


def test_imbalanced_target_defaults_to_balanced_accuracy(api):
    response = _study(api, _csv(n_yes=10, n_no=90))

    assert response.status_code == 201, response.data
    assert response.data["objective"]["metric"] == "balanced_accuracy"


def test_balanced_target_defaults_to_accuracy(api):
    response = _study(api, _csv(n_yes=40, n_no=60))

    assert response.status_code == 201, response.data
    assert response.data["objective"]["metric"] == "accuracy"


def test_a_metric_given_is_kept_on_an_imbalanced_target(api):
    response = _study(api, _csv(n_yes=10, n_no=90), metric="f1")

    assert response.status_code == 201, response.data
    assert response.data["objective"]["metric"] == "f1"


def test_the_default_follows_the_target_chosen(api):
    content = ("rare,common,x\n" + "\n".join(f"{'a' if i < 5 else 'b'},{'c' if i % 2 else 'd'},{i}"
                                               for i in range(50)) + "\n").encode()

    rare = _study(api, content, target="rare")
    common = _study(api, content, target="common")

    assert rare.data["objective"]["metric"] == "balanced_accuracy"
    assert common.data["objective"]["metric"] == "accuracy"
