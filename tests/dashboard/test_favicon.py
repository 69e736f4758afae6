"""Every page names Tuner's icon for the browser's tab, and the icon is served (no 404 per page)."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.roles import link_token, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
ICON = re.compile(r'<link rel="icon" href="/static/([^"]+)"')


def _icon_of(response):
    found = ICON.search(response.content.decode())
    return found.group(1) if found else None


def test_signed_in_pages_name_an_icon_that_exists(site):
    response = site.get("/")

    icon = _icon_of(response)

    assert icon is not None
    assert finders.find(icon)


def test_shared_pages_name_the_same_icon(client, site, link_token):
    shared = client.get(f"/share/{link_token}/")

    assert _icon_of(shared) is not None
    assert _icon_of(shared) == _icon_of(site.get("/"))
