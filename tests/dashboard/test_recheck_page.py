"""The re-check card on the study page and the share page: everyone who may see the study sees
the result (chart, most reliable trial, sentence); only the owner and editors get the form."""

import pytest

from studies.models import Recheck, Study
from studies.services import share_links
from tests.roles import add_trials, iris_study, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rechecked(iris_study):
    Recheck.objects.create(study=iris_study, numbers=[1, 0], repeats=3, state=Recheck.State.READY,
                           fresh={"1": [0.95, 0.96, 0.97], "0": [0.90, 0.91, 0.90]})
    return iris_study


@pytest.mark.parametrize(("role", "form"), [("owner", True), ("editor", True), ("viewer", False)])
def test_members_see_the_card_and_only_those_who_may_run_get_the_form(role, form, client, rechecked, people):
    client.force_login(people[role])

    page = client.get(f"/studies/{rechecked.pk}/").content.decode()

    assert 'id="recheck"' in page and "js/recheck.js" in page
    assert ("data-recheck-form" in page) is form


def test_a_share_link_reads_the_result_with_its_chart_and_the_most_reliable_trial(client, rechecked, people):
    link = f"/share/{share_links.create_share_link(rechecked.pk, people['owner'])[1]}/"

    page = client.get(link).content.decode()
    body = client.get(link + "recheck.json").json()

    assert 'id="recheck"' in page and "data-recheck-form" not in page
    assert body["state"] == "ready" and body["most_reliable"] == "Most reliable: #1"
    assert body["sentence"].startswith("#1 is better than #0")
    assert body["figure"]["traces"][0]["x"] == ["#1", "#0"]


@pytest.mark.parametrize(("role", "hidden"), [("owner", False), ("viewer", True)])
def test_the_card_starts_hidden_from_those_who_may_not_start_a_re_check(role, hidden, client, iris_study, people):
    client.force_login(people[role])

    page = client.get(f"/studies/{iris_study.pk}/").content.decode()

    assert ('data-api="" hidden>' in page) is hidden
    assert 'id="recheck"' in page


def test_before_any_re_check_the_card_says_so_and_draws_nothing(client, iris_study, people):
    client.force_login(people["viewer"])

    body = client.get(f"/studies/{iris_study.pk}/recheck.json").json()

    assert body["state"] == "none" and body["status"] == "Not re-checked yet." and body["figure"] is None


def test_a_benchmark_function_has_no_card(client, people):
    function = make_study(people["owner"], objective={"kind": "function", "name": "sphere"},
                          state=Study.State.COMPLETED)
    add_trials(function, [("complete", 0.5, {"x": 0.1, "y": 0.1})])
    client.force_login(people["owner"])

    assert 'id="recheck"' not in client.get(f"/studies/{function.pk}/").content.decode()
    assert client.get(f"/studies/{function.pk}/recheck.json").status_code == 404

