"""End to end over a real Celery worker and Redis: a study on an uploaded CSV completes and its
best model is explained with no one asking; a member uploads new rows and downloads them with a
prediction and a chance per class."""

import csv
import io
import random

import pytest

from tests.conftest import wait_for
from tests.roles import api_client, iris_study, people  # noqa: F401 (fixtures)
from tests.services.test_predictions import IRIS_COLUMNS, iris_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def churn_csv(n_rows=200, seed=0):
    """Customers who leave more often on a monthly plan and a short tenure; "region" is noise."""
    rng = random.Random(seed)
    lines = ["tenure,plan,region,churn"]
    for _ in range(n_rows):
        tenure, plan = rng.randint(1, 60), rng.choice(["monthly", "yearly"])
        leaves = (plan == "monthly") and tenure < 20 or rng.random() < 0.05
        lines.append(f"{tenure},{plan},{rng.choice(['north', 'south'])},{'yes' if leaves else 'no'}")
    return ("\n".join(lines) + "\n").encode()


def _upload_dataset(client, content):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return client.post("/api/datasets/", {"file": SimpleUploadedFile("churn.csv", content)}, format="multipart").data


def test_a_completed_study_on_a_csv_is_explained_by_the_worker(celery_worker_process, people):
    owner = api_client(people["owner"])
    dataset = _upload_dataset(owner, churn_csv())
    study = owner.post("/api/studies/", {
        "name": "churn", "objective": {"kind": "sklearn", "estimator": "random_forest",
                                       "dataset": f"csv:{dataset['id']}", "target": "churn", "cv": 3},
        "search_space": {"max_depth": {"type": "int", "low": 2, "high": 6}},
        "budget": {"n_trials": 3, "parallelism": 1}}, format="json").data
    owner.post(f"/api/studies/{study['id']}/start/")

    url = f"/api/studies/{study['id']}/explain/"
    body = wait_for(lambda: (found := owner.get(url).json())["state"] in ("ready", "failed") and found, timeout_s=240)

    assert body["state"] == "ready", body["error"]
    assert [column["name"] for column in body["columns"]][:2] in (["tenure", "plan"], ["plan", "tenure"])
    assert {curve["name"] for curve in body["partial_dependence"]} <= {"tenure", "plan", "region"}
    assert body["confusion_matrix"]["labels"] == ["no", "yes"]
    assert sum(map(sum, body["confusion_matrix"]["counts"])) == 200


def test_predictions_are_made_by_the_worker_and_downloaded(celery_worker_process, iris_study, people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    viewer = api_client(people["viewer"])

    posted = viewer.post(f"/api/studies/{iris_study.pk}/predictions/",
                         {"file": SimpleUploadedFile("new.csv", iris_csv())}, format="multipart")
    url = f"/api/predictions/{posted.json()['id']}/"
    done = wait_for(lambda: (found := viewer.get(url).json())["state"] in ("ready", "failed") and found,
                    timeout_s=120)
    response = viewer.get(done["url"])

    assert posted.status_code == 202
    assert (done["state"], done["rows"], done["error"]) == ("ready", 150, "")
    assert response["Content-Disposition"] == 'attachment; filename="new-predictions.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0]) == ["id", *IRIS_COLUMNS, "prediction", "probability_0", "probability_1", "probability_2"]
    assert all(abs(sum(float(row[f"probability_{c}"]) for c in range(3)) - 1) < 1e-4 for row in rows)
