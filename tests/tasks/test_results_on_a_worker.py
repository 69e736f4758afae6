"""End to end on a real Celery worker over a real Redis: the baseline of an uploaded CSV is
computed once and read by every study on it; a study that lets Tuner choose the model ends with
its ensemble evaluated."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Baseline, Ensemble, Study
from tests.conftest import wait_for
from tests.results import TWO_FAMILIES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def churn_csv(api):
    """churn.csv: 90 customers, 60 of whom stayed ("no"); stored where the worker reads files."""
    rng = random.Random(0)
    rows = ["tenure,plan,churn"] + [f"{rng.randint(1, 60)},{rng.choice(['basic', 'pro'])},{'no' if i % 3 else 'yes'}"
                                    for i in range(90)]
    upload = SimpleUploadedFile("churn.csv", "\n".join(rows).encode(), "text/csv")
    return api.post("/api/datasets/", {"file": upload}, format="multipart").json()["reference"]


def _study(api, dataset, name):
    body = {"name": name, "budget": {"n_trials": 2},
            "objective": {"kind": "sklearn", "estimator": "logistic_regression", "dataset": dataset,
                          "target": "churn", "metric": "accuracy", "cv": 3}}
    study_id = api.post("/api/studies/", body, format="json").json()["id"]
    assert api.post(f"/api/studies/{study_id}/start/").status_code == 202
    return study_id


def _ready(api, study_id):
    body = api.get(f"/api/studies/{study_id}/").json()
    failed = Baseline.objects.filter(state="failed").values_list("error", flat=True).first()
    assert failed is None, failed
    return body if body["baseline"] and body["state"] == "completed" else None


def test_the_baseline_of_a_csv_is_computed_once_on_a_worker_and_read_by_two_studies(api, churn_csv,
                                                                                     celery_worker_process):
    first_id = _study(api, churn_csv, "first")
    first = wait_for(lambda: _ready(api, first_id), timeout_s=120)
    computed = Baseline.objects.get()

    second_id = _study(api, churn_csv, "second")
    second = wait_for(lambda: _ready(api, second_id), timeout_s=120)

    assert Baseline.objects.count() == 1
    assert Baseline.objects.get().finished_at == computed.finished_at, "the second study did not compute it again"
    assert first["baseline"] == second["baseline"]
    assert first["baseline"]["strategy"] == "most_frequent"
    assert first["baseline"]["value"] == pytest.approx(60 / 90, abs=0.02)
    assert first["summary"][0] == "The model predicts the column 'churn' from the other columns of churn.csv."
    assert "always answering 'no' is right for 67." in first["summary"][1]


def test_a_study_that_lets_tuner_choose_ends_with_its_ensemble_evaluated_on_a_worker(api, celery_worker_process):
    body = {"name": "auto", "objective": TWO_FAMILIES, "budget": {"n_trials": 6}, "sampler": {"name": "random",
                                                                                              "seed": 1}}
    study_id = api.post("/api/studies/", body, format="json").json()["id"]
    api.post(f"/api/studies/{study_id}/start/")

    ensemble = wait_for(lambda: Ensemble.objects.filter(study_id=study_id, state__in=["ready", "failed"]).first(),
                        timeout_s=180)

    assert Study.objects.get(pk=study_id).state == "completed"
    assert ensemble.state == "ready", ensemble.error
    board = api.get(f"/api/studies/{study_id}/leaderboard/").json()
    assert board["ensemble"]["members"] == [family["trial"] for family in board["families"]]
