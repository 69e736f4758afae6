"""The wizard's check answers with the same messages as POST /api/studies/, and stores nothing."""

import json

import pytest

from studies.models import Study

pytestmark = pytest.mark.django_db

SPEC = {"name": "check", "objective": {"kind": "external"}, "budget": {"n_trials": 5},
        "search_space": {"lr": {"type": "float", "low": 1.0, "high": 0.1}}}


def _check(site, spec):
    return site.post("/studies/new/validate.json", json.dumps(spec), content_type="application/json")


def test_low_not_below_high_is_named_with_its_path(site):
    response = _check(site, SPEC)

    assert response.status_code == 400
    assert response.json()["search_space"] == ["lr.low: low must be less than high"]


def test_same_message_as_the_api(site, api):
    from_api = api.post("/api/studies/", SPEC, format="json").json()

    from_page = _check(site, SPEC).json()

    assert from_page == from_api


def test_a_valid_spec_is_ok_and_nothing_is_stored(site):
    spec = {**SPEC, "search_space": {"lr": {"type": "float", "low": 0.001, "high": 0.1}}}

    response = _check(site, spec)

    assert response.json() == {"ok": True}
    assert not Study.objects.exists()


def test_a_body_that_is_not_json_answers_400(site):
    response = site.post("/studies/new/validate.json", "{nope", content_type="application/json")

    assert response.status_code == 400
