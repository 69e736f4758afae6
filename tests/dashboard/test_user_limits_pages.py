"""The pages answer a per-user limit with its message and 429, not a 500."""

import pytest

from studies.models import Study

from .conftest import make_study

pytestmark = pytest.mark.django_db


def test_trying_the_demo_past_the_study_limit_answers_429_saying_so(site, owner, settings):
    settings.TUNER_MAX_STUDIES_PER_USER = 1
    make_study(owner)

    response = site.post("/studies/demo/")

    assert response.status_code == 429
    assert "1 study" in response.content.decode() or "1 studies" in response.content.decode()
    assert Study.objects.count() == 1


def test_a_token_past_the_limit_on_the_profile_page_answers_429_saying_so(site, owner, settings):
    settings.TUNER_MAX_API_TOKENS_PER_USER = 0 + 1
    site.post("/accounts/profile/tokens/", {"name": "first"})

    response = site.post("/accounts/profile/tokens/", {"name": "second"})

    assert response.status_code == 429
    assert "at most 1" in response.content.decode()
