"""Re-checking the top trials in the browser: a number out of range is named, a re-check of a
finished study of one's own code waits for that code, and once it ran the card draws each trial's
interval and names the most reliable trial."""

import pytest

from studies import services
from studies.models import Trial
from tests.dashboard.conftest import add_trials, make_study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def study(user):
    study = make_study(user, name="Re-check study", state="completed")
    add_trials(study, [("complete", 1.0 + i / 100, {"lr": 0.01, "depth": 2 + i, "kernel": "rbf"}) for i in range(6)])
    return study


def test_a_re_check_is_started_waits_for_the_code_then_names_the_most_reliable_trial(logged_in, study):
    page = logged_in
    page.goto(f"/studies/{study.pk}/")

    page.fill("#recheck-top-k", "30")
    page.click("[data-testid=recheck-start]")
    page.wait_for_selector("[data-recheck-error]:has-text('top k')")
    page.fill("#recheck-top-k", "2")
    page.fill("#recheck-repeats", "2")
    page.click("[data-testid=recheck-start]")
    page.wait_for_selector("[data-recheck-status]:has-text('Your code is measuring')")
    while Trial.objects.filter(study=study, state=Trial.State.WAITING).exists():
        trial = services.ask_trial(study.pk, worker="laptop")
        services.tell_trial(trial.pk, value={0: 1.5, 1: 1.2}[trial.rechecks.number] + trial.number / 1000)
    page.wait_for_selector("[data-testid=recheck-best]:has-text('Most reliable: #1')", timeout=20_000)

    assert page.locator("[data-testid=recheck-sentence]").inner_text().startswith("#1 is better than #0")
    assert page.locator("#chart-recheck .main-svg").count() > 0
    assert page.locator("[data-testid=robust-best]").inner_text() == "most reliable after the re-check: trial #1"
    screenshot(page, "study-recheck")


def test_a_share_link_shows_the_card_only_once_there_is_a_re_check(browser, live_server, study):
    from studies.models import Recheck
    from studies.services import share_links
    from tests.e2e.conftest import open_tab

    _, token = share_links.create_share_link(study.pk, study.owner)
    errors = []
    tab = open_tab(browser, errors, 20_000, base_url=live_server.url)
    tab.goto(f"/share/{token}/")
    tab.wait_for_function("() => document.getElementById('recheck').dataset.state === 'none'")
    before = tab.locator("#recheck").is_hidden()
    Recheck.objects.create(study=study, numbers=[1, 0], repeats=3, state=Recheck.State.READY,
                           fresh={"1": [1.01, 1.02, 1.0], "0": [1.0, 1.0, 1.01]})

    tab.reload()
    tab.wait_for_function("() => document.getElementById('recheck').dataset.state === 'ready'")

    assert before and tab.locator("#recheck").is_visible()
    assert not errors
