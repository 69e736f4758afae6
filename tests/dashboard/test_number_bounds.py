"""Page numbers, cursors and ids from a query string that no column can hold answer 400 or an empty page."""

import pytest

from studies.services.share_links import create_share_link

pytestmark = pytest.mark.django_db

HUGE = str(10**20)
DEEP = "[" * 5000 + "]" * 5000


def test_the_wizard_check_refuses_a_body_nested_5000_deep(site):
    response = site.post("/studies/new/validate.json", '{"name": ' + DEEP + "}", content_type="application/json")

    assert response.status_code == 400
    assert "deeper" in response.json()["non_field_errors"][0]


def test_a_trial_table_page_past_any_offset_is_empty(site, one_trial_study):
    response = site.get(f"/studies/{one_trial_study.pk}/trials.json", {"page": HUGE})

    assert response.status_code == 200
    assert response.json()["rows"] == []


def test_a_study_id_wider_than_any_id_matches_no_study_in_the_live_list(site, one_trial_study):
    response = site.get("/studies.json", {"ids": f"{HUGE},{one_trial_study.pk}"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["studies"]] == [one_trial_study.pk]


def test_compare_leaves_out_an_id_wider_than_any_id(site, one_trial_study):
    response = site.get("/compare/", {"ids": [HUGE, str(one_trial_study.pk)]})

    assert response.status_code == 200
    assert [row["study"].pk for row in response.context["rows"]] == [one_trial_study.pk]


def test_compare_leaves_out_an_id_written_in_other_digits(site, one_trial_study):
    response = site.get("/compare/", {"ids": ["²", str(one_trial_study.pk)]})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 1


def test_duplicating_from_an_id_written_in_other_digits_answers_404(site):
    response = site.get("/studies/new/", {"from": "²"})

    assert response.status_code == 404


def test_a_template_with_a_dataset_id_in_other_digits_opens_without_prefill(site):
    response = site.get("/studies/new/", {"template": "churn", "dataset": "²"})

    assert response.status_code == 200
    assert response.context["wizard"]["prefill"] is None


def test_a_share_table_page_past_any_offset_is_empty(client, one_trial_study, owner):
    _, token = create_share_link(one_trial_study.pk, owner)

    response = client.get(f"/share/{token}/trials.json", {"page": HUGE})

    assert response.status_code == 200
    assert response.json()["rows"] == []


def test_a_share_table_page_in_other_digits_answers_400_as_for_members(client, one_trial_study, owner):
    _, token = create_share_link(one_trial_study.pk, owner)

    response = client.get(f"/share/{token}/trials.json", {"page": "²"})

    assert response.status_code == 400
    assert "page must be a whole number" in response.json()["detail"]
