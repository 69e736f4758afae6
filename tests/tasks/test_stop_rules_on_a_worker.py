"""End to end: a built-in study on a real Celery worker stops itself when its target is reached."""

import pytest

from studies.models import Study, Trial
from tests.conftest import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_study_on_the_workers_stops_itself_at_its_target(api, celery_worker_process):
    body = {
        "name": "sphere to a target",
        "objective": {"kind": "function", "name": "sphere"},
        "search_space": {"x1": {"type": "float", "low": -1.0, "high": 1.0},
                         "x2": {"type": "float", "low": -1.0, "high": 1.0}},
        "sampler": {"name": "random", "seed": 0},
        "budget": {"n_trials": 200, "target": 0.1},
    }
    study_id = api.post("/api/studies/", body, format="json").data["id"]

    api.post(f"/api/studies/{study_id}/start/")
    study = wait_for(lambda: Study.objects.filter(pk=study_id, state__in=Study.FINISHED_STATES).first(),
                     timeout_s=180)

    values = list(Trial.objects.filter(study_id=study_id, state="complete").values_list("value", flat=True))
    assert study.state == "stopped" and study.stop_reason == "target"
    assert min(values) <= 0.1 and len(values) < 200
    assert api.get(f"/api/studies/{study_id}/").data["stop_reason"] == "target"
