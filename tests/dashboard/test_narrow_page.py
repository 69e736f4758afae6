"""The study page's lineage lines and "Narrow the search" card: every visitor sees where a study
comes from; only those who may run it get the card."""

import pytest

from studies.services import share_links
from studies.services.narrowing import narrow_study
from tests.roles import people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
NARROW = {"x": {"type": "float", "low": 0.0, "high": 0.45}}


@pytest.mark.parametrize(("role", "has_card"), [("owner", True), ("editor", True), ("viewer", False)])
def test_only_those_who_may_run_the_study_get_the_narrow_card(role, has_card, client, study, people):
    client.force_login(people[role])

    html = client.get(f"/studies/{study.pk}/").content.decode()

    assert ('id="narrow-search"' in html) is has_card
    assert ("Continue in this narrower space" in html) is has_card


def test_the_parent_links_its_narrower_studies_and_the_child_its_parent(client, study, people):
    child = narrow_study(people["owner"], study.pk, NARROW)
    client.force_login(people["owner"])

    parent_html = client.get(f"/studies/{study.pk}/").content.decode()
    child_html = client.get(f"/studies/{child.pk}/").content.decode()

    assert f'Narrower studies: <a href="/studies/{child.pk}/">#{child.pk}</a>' in parent_html
    assert f'Narrowed from <a href="/studies/{study.pk}/">study #{study.pk}</a>' in child_html
    assert "5 of its trials were copied here and do not count in the budget" in child_html


def test_a_viewer_sees_no_child_they_cannot_open(client, study, people):
    narrow_study(people["editor"], study.pk, NARROW)  # the editor's own study: the viewer is not in it
    client.force_login(people["viewer"])

    html = client.get(f"/studies/{study.pk}/").content.decode()

    assert "Narrower studies" not in html


def test_a_share_link_sees_the_lineage_without_ids_or_the_card(client, study, people):
    child = narrow_study(people["owner"], study.pk, NARROW)
    _, token = share_links.create_share_link(child.pk, people["owner"])

    html = client.get(f"/share/{token}/").content.decode()

    assert "This study continues a wider study in a narrower search space" in html
    assert f"/studies/{study.pk}/" not in html and 'id="narrow-search"' not in html


def test_compare_shows_which_study_a_child_narrows(client, study, people):
    child = narrow_study(people["owner"], study.pk, NARROW)
    client.force_login(people["owner"])

    html = client.get(f"/compare/?ids={study.pk},{child.pk}").content.decode()

    assert f"narrowed from #{study.pk}" in html


def test_the_childs_progress_counts_only_its_own_trials(client, study, people):
    child = narrow_study(people["owner"], study.pk, NARROW, budget={"n_trials": 4})
    client.force_login(people["owner"])

    live = client.get(f"/studies/{child.pk}/live.json").json()

    assert live["header"]["progress"]["done"] == 0 and live["header"]["progress"]["total"] == 4


def test_an_inherited_trials_page_links_the_trial_it_copies(client, study, people):
    child = narrow_study(people["owner"], study.pk, NARROW)
    client.force_login(people["owner"])

    html = client.get(f"/studies/{child.pk}/trials/1/").content.decode()

    assert f'Copied from <a href="/studies/{study.pk}/trials/1/">trial #1 of study #{study.pk}</a>' in html
