"""In Chromium: the owner moves a What if… slider, the prediction follows, and "Try these
parameters" queues a trial with them."""

import pytest

from studies.models import Trial
from tests.conftest import wait_for
from tests.e2e.conftest import log_in, open_tab, screenshot
from tests.roles import _fast_passwords, people, study  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_moving_a_slider_changes_the_prediction_and_try_queues_the_trial(browser, live_server, study):
    errors = []
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    mean = tab.locator("[data-what-if-mean]")
    tab.wait_for_function("document.querySelector('#what-if').dataset.mean !== undefined")
    before = mean.text_content()

    tab.fill("#what-if-x", "1000")  # x at the top of its range, far from the best trial (x = 0.5)
    tab.wait_for_function(f"document.querySelector('[data-what-if-mean]').textContent !== {before!r}")
    screenshot(tab, "what-if")
    tab.click("[data-what-if-try]")
    tab.wait_for_selector("text=Queued as trial #11")

    assert wait_for(lambda: Trial.objects.filter(study=study, number=11, params={"x": 1.0, "y": 0.5}).exists())
    assert not errors
