"""End to end over a real Celery worker and Redis: a member re-checks a built-in study's top trials
and reads each one's mean with an interval, the most reliable trial and a sentence."""

import pytest

from tests.conftest import wait_for
from tests.roles import api_client, iris_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_worker_re_checks_the_top_trials_on_new_folds(celery_worker_process, iris_study, people):
    editor = api_client(people["editor"])
    url = f"/api/studies/{iris_study.pk}/recheck/"

    assert editor.post(url, {"top_k": 2, "repeats": 2}, format="json").status_code == 202
    body = wait_for(lambda: (found := editor.get(url).json())["state"] in ("ready", "failed") and found, timeout_s=120)

    assert body["state"] == "ready", body["error"]
    assert sorted(row["number"] for row in body["trials"]) == [0, 1] and all(row["n"] == 2 for row in body["trials"])
    assert all(row["low"] <= row["mean"] <= row["high"] for row in body["trials"])
    assert body["robust_best"] == body["trials"][0]["number"] and body["sentence"]
