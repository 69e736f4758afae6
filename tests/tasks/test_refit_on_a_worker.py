"""End to end: "prepare the best model" is refitted by a real Celery worker over a real Redis,
and the page then serves a joblib file that loads and predicts."""

import io

import joblib
import pytest
from sklearn.datasets import load_iris

from tests.conftest import wait_for
from tests.roles import api_client, iris_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_prepare_leads_to_a_downloadable_model_that_predicts(celery_worker_process, client, iris_study, people):
    url = f"/api/studies/{iris_study.pk}/best-model/"
    viewer = api_client(people["viewer"])

    prepared = viewer.post(url)
    ready = wait_for(lambda: (body := viewer.get(url).json())["state"] in ("ready", "failed") and body, timeout_s=60)

    assert prepared.status_code == 202
    assert ready["state"] == "ready", ready["error"]
    client.force_login(people["viewer"])
    response = client.get(f"/api/studies/{iris_study.pk}/best-model.joblib")
    model = joblib.load(io.BytesIO(b"".join(response.streaming_content)))
    X, y = load_iris(return_X_y=True)
    assert model.named_steps["model"].C == 7.5
    assert (model.predict(X) == y).mean() > 0.9
