"""The study page offers "Tune again on new data" to who may use it, and a study tuned again says where it comes from."""

import pytest

from studies.models import Study
from studies.services import share_links
from tests.api.test_retune import _csv, _retune, _upload, earlier  # noqa: F401 (fixture)
from tests.roles import api_client, join_as, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _page(client, user, study):
    client.force_login(user)
    return client.get(f"/studies/{study.pk}/").content.decode()


def test_the_owner_of_a_study_on_a_csv_is_offered_to_tune_it_again(client, people, earlier):
    page = _page(client, people["owner"], earlier)

    assert 'id="retune"' in page and f'data-retune="/api/studies/{earlier.pk}/retune/"' in page
    assert "it needs the column 'churned' again" in page and "js/retune.js" in page


def test_a_viewer_is_not_offered_to_tune_it_again(client, people, earlier):
    join_as(earlier.pk, "vera", "viewer")

    page = _page(client, people["viewer"], earlier)

    assert 'id="retune"' not in page and "js/retune.js" not in page


def test_the_new_study_says_which_study_it_tunes_again(client, people, earlier):
    api = api_client(people["owner"])
    new = Study.objects.get(pk=_retune(api, earlier, _upload(api, _csv(80))).data["id"])

    page = _page(client, people["owner"], new)

    assert (f'Tunes <a href="/studies/{earlier.pk}/">study #{earlier.pk}</a> (Churn) again on new data: its first '
            "trial, #0, ran the settings that were best there.") in page


def test_a_share_link_says_only_that_the_study_tunes_an_earlier_one(client, people, earlier):
    api = api_client(people["owner"])
    new = Study.objects.get(pk=_retune(api, earlier, _upload(api, _csv(80))).data["id"])
    _, token = share_links.create_share_link(new.pk, people["owner"])

    page = client.get(f"/share/{token}/").content.decode()

    assert "This study tunes an earlier one again on new data" in page
    assert f"study #{earlier.pk}" not in page and "Churn)" not in page and 'id="retune"' not in page
