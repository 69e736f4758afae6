"""The pages refuse what the API refuses: strings that are not text, and NUL in query parameters."""

import pytest


pytestmark = pytest.mark.django_db

SPEC_WITH_SURROGATE = ('{"name": "s", "objective": {"kind": "external"}, "search_space": '
                       '{"c": {"type": "categorical", "choices": ["\\ud800"]}}}')


def test_the_wizard_check_refuses_a_lone_surrogate_naming_its_path(site):
    response = site.post("/studies/new/validate.json", SPEC_WITH_SURROGATE, content_type="application/json")

    assert response.status_code == 400
    assert "surrogate" in response.json()["search_space.c.choices[0]"][0]


def test_the_wizard_check_refuses_what_the_api_refuses_with_the_same_message(site, api):
    from_api = api.generic("POST", "/api/studies/", SPEC_WITH_SURROGATE, content_type="application/json").json()

    from_page = site.post("/studies/new/validate.json", SPEC_WITH_SURROGATE, content_type="application/json").json()

    assert from_page == from_api


def test_the_wizard_check_refuses_nan_as_the_api_does(site):
    body = '{"name": "s", "objective": {"kind": "external"}, "search_space": {"x": {"type": "float", "low": NaN, "high": 1}}}'

    response = site.post("/studies/new/validate.json", body, content_type="application/json")

    assert response.status_code == 400


def test_a_nul_in_a_query_parameter_answers_400_naming_the_parameter(site, empty_study):
    response = site.get("/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert "q" in response.json() and "NUL" in response.json()["q"][0]


def test_a_nul_in_a_trial_table_filter_answers_400(site, empty_study):
    response = site.get(f"/studies/{empty_study.pk}/trials.json", {"state": "\x00"})

    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_refused_by_the_form(site, owner):
    response = site.post("/accounts/profile/tokens/", {"name": "gpu\x00box"})

    assert response.status_code == 400
    assert not owner.api_tokens.exists()
