"""Addresses that lead nowhere: /studies/ goes to the study list, anything else gets a page that says so."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_studies_without_an_id_goes_to_the_study_list(site):
    response = site.get("/studies/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_missing_page_says_so_and_leads_back_to_the_studies(site):
    response = site.get("/studies/987654/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'href="/">Your studies</a>' in page


def test_a_dead_share_link_says_so_to_someone_not_signed_in(client):
    response = client.get("/share/no-such-token/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "a share link revoked or expired" in page and "Log in" in page


def test_a_server_error_gets_a_plain_page_that_says_nothing_was_lost():
    response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page and "Your studies and trials are kept" in page
