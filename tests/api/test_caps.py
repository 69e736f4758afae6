"""Caps answer with a status and a message, never a 500."""

import pytest

from studies.models import Trial

from .helpers import ask, create

pytestmark = pytest.mark.django_db


def test_json_body_over_the_cap_answers_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = api.post("/api/studies/", {"name": "x" * 20_000}, format="json")

    assert response.status_code == 413


def test_running_trials_over_the_per_user_cap_answer_429(api, settings):
    settings.TUNER_MAX_RUNNING_PER_USER = 2
    study_id = create(api)
    ask(api, study_id), ask(api, study_id)

    response = api.post(f"/api/studies/{study_id}/ask/")

    assert response.status_code == 429
    assert "cap is 2" in response.data["detail"]
    assert Trial.objects.count() == 2


def test_trials_over_the_per_study_cap_answer_409(api, settings):
    settings.TUNER_MAX_TRIALS_PER_STUDY = 2
    study_id = create(api, budget={})
    ask(api, study_id), ask(api, study_id)

    response = api.post(f"/api/studies/{study_id}/ask/")

    assert response.status_code == 409
    assert "trial cap" in response.data["detail"]


def test_page_size_is_capped(api):
    study_id = create(api)
    ask(api, study_id)

    response = api.get(f"/api/studies/{study_id}/trials/?page_size=100000")

    assert response.status_code == 200
    assert len(response.data["results"]) == 1
