"""Another user's study answers 404 on every page and endpoint; a stranger learns nothing."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/studies/{id}/", "/studies/{id}/live.json", "/studies/{id}/charts/edf.json", "/studies/{id}/trials.json",
    "/studies/{id}/export.csv", "/studies/{id}/trials/0/", "/studies/new/?from={id}",
]


@pytest.mark.parametrize("path", PATHS)
def test_another_users_study_answers_404(client, outsider, one_trial_study, path):
    client.force_login(outsider)

    response = client.get(path.format(id=one_trial_study.pk))

    assert response.status_code == 404


def test_pages_send_anonymous_visitors_to_log_in(client, one_trial_study):
    response = client.get(f"/studies/{one_trial_study.pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_json_answers_401_to_anonymous_visitors(client, one_trial_study):
    response = client.get(f"/studies/{one_trial_study.pk}/live.json")

    assert response.status_code == 401


def test_study_list_shows_only_own_studies(client, outsider, one_trial_study):
    client.force_login(outsider)

    response = client.get("/")

    assert one_trial_study.name not in [row["name"] for row in response.context["rows"]]
