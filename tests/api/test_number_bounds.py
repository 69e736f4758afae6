"""Numbers wider than the column they reach, and bodies nested too deep, answer 400, never 500."""

import pytest

from studies.models import Study, TrialReport

from .helpers import ask, create

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


def test_a_body_nested_5000_deep_answers_400_and_stores_nothing(api):
    body = '{"name": "deep", "objective": {"kind": "external"}, "sampler": ' + DEEP + "}"

    response = api.generic("POST", "/api/studies/", body, content_type="application/json")

    assert response.status_code == 400
    assert "deeper than 32" in response.data["detail"]
    assert not Study.objects.exists()


def test_a_body_nested_as_deep_as_the_limit_is_parsed(api):
    nested = "[" * 31 + "]" * 31  # 31 levels inside the body's own object: 32 in all

    body = ('{"name": "n", "objective": {"kind": "external"}, '
            '"search_space": {"x": {"type": "float", "low": 0, "high": 1}}, "sampler": ' + nested + "}")

    response = api.generic("POST", "/api/studies/", body, content_type="application/json")

    assert response.status_code == 400
    assert "sampler" in response.data  # parsed, then refused by the rules for a sampler


def test_brackets_inside_strings_do_not_count_as_nesting(api):
    name = "[" * 100 + "{" * 100

    response = api.post("/api/studies/", {"name": name, "objective": {"kind": "external"},
                                          "search_space": {"x": {"type": "float", "low": 0, "high": 1}}}, format="json")

    assert response.status_code == 201, response.data


def test_a_report_step_beyond_the_column_answers_400(api):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/report/", {"step": 2**63, "value": 1.0}, format="json")

    assert response.status_code == 400
    assert "step" in response.data
    assert not TrialReport.objects.exists()


def test_the_largest_step_every_database_stores_is_accepted(api):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/report/", {"step": 2**31 - 1, "value": 1.0}, format="json")

    assert response.status_code == 200, response.data
    assert TrialReport.objects.get().step == 2**31 - 1


def test_a_changes_cursor_beyond_any_revision_finds_no_change(api):
    study_id = create(api)
    ask(api, study_id)

    response = api.get(f"/api/studies/{study_id}/trials/?since={10**20}")

    assert response.status_code == 200
    assert response.data["results"] == []
