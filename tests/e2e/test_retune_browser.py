"""In Chromium: the owner tunes a finished study again on a new CSV from its page, and the new
study, run by a real worker, says whether the settings that were best before still are."""

import pytest

from studies.models import Study
from tests.api.test_retune import _csv, earlier  # noqa: F401 (fixture)
from tests.e2e.conftest import log_in, open_tab, screenshot
from tests.roles import people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tab(browser, live_server, errors):
    tab = open_tab(browser, errors, 30_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    return tab


def test_new_data_makes_a_study_that_compares_its_best_with_the_earlier_best(browser, live_server, earlier, tmp_path,
                                                                               celery_worker_process):
    (tmp_path / "march.csv").write_bytes(_csv(90))
    errors = []
    tab = _tab(browser, live_server, errors)
    tab.goto(f"/studies/{earlier.pk}/")

    tab.click("#retune summary")
    tab.set_input_files("#retune-file", str(tmp_path / "march.csv"))
    tab.click("#retune-form button[type=submit]")
    tab.wait_for_selector("[data-testid=retuned-from]")
    tab.wait_for_selector("text=The settings that were best on the earlier data", timeout=120_000)
    screenshot(tab, "retuned-study")

    new = Study.objects.exclude(pk=earlier.pk).get()
    assert tab.url.endswith(f"/studies/{new.pk}/") and new.retuned_from_id == earlier.pk
    assert new.objective["dataset"] != earlier.objective["dataset"]
    tab.context.close()
    assert not errors


def test_new_data_without_the_target_column_is_refused_beside_the_form(browser, live_server, earlier, tmp_path):
    (tmp_path / "other.csv").write_bytes(_csv(90, target="left"))
    errors = []
    tab = _tab(browser, live_server, errors)
    tab.goto(f"/studies/{earlier.pk}/")

    tab.click("#retune summary")
    tab.set_input_files("#retune-file", str(tmp_path / "other.csv"))
    tab.click("#retune-form button[type=submit]")
    tab.wait_for_selector("#retune-error:has-text('the new data has no column')")

    assert tab.url.endswith(f"/studies/{earlier.pk}/") and Study.objects.count() == 1
    tab.context.close()
    assert not errors
