"""Answers to a logged-in user or an API client say Cache-Control: no-store, so no cache keeps a study.

Static files and answers to anonymous visitors keep their own caching (Django's login page
says no-store itself).
"""

import pytest

pytestmark = pytest.mark.django_db


def _no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_a_page_for_a_logged_in_user_is_not_stored(site, one_trial_study):
    assert _no_store(site.get(f"/studies/{one_trial_study.pk}/"))


def test_a_csv_export_is_not_stored(site, one_trial_study):
    assert _no_store(site.get(f"/studies/{one_trial_study.pk}/export.csv"))


def test_a_report_download_is_not_stored(site, one_trial_study):
    assert _no_store(site.get(f"/studies/{one_trial_study.pk}/report.html"))


def test_the_page_scripts_json_is_not_stored(site, one_trial_study):
    assert _no_store(site.get(f"/studies/{one_trial_study.pk}/live.json"))


def test_an_api_answer_to_a_token_is_not_stored(api, one_trial_study):
    assert _no_store(api.get("/api/studies/"))


def test_an_answer_to_an_anonymous_visitor_is_left_alone(client):
    assert not _no_store(client.get("/no-such-page/"))


def test_a_static_file_keeps_its_own_caching_for_a_logged_in_user(site, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic

    response = site.get("/static/js/poll.js")

    assert response.status_code == 200 and not _no_store(response)


def test_a_page_answering_a_database_outage_keeps_its_503(site, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def outage(self):
        raise OperationalError("the database is down")

    monkeypatch.setattr(SessionStore, "load", outage)

    response = site.get("/")

    assert response.status_code == 503 and "no-store" in response["Cache-Control"]
