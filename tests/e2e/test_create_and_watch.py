"""A user logs in, uploads a CSV, picks the target, starts a study and watches it run live."""

import random
import re

import pytest

from studies.models import Study
from tests.e2e.conftest import log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _csv(path, n_rows=120, seed=0):
    rng = random.Random(seed)
    lines = ["height_cm,weight_kg,age,city,outcome"]
    for _ in range(n_rows):
        height, weight, age = rng.gauss(170, 10), rng.gauss(70, 12), rng.randint(18, 80)
        outcome = "yes" if height / 100 + weight / 60 + rng.gauss(0, 0.4) > 2.9 else "no"
        lines.append(f"{height:.1f},{weight:.1f},{age},{rng.choice(['Oslo', 'Lyon', 'Pisa'])},{outcome}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _history_points(page):
    return page.evaluate(
        "() => (document.getElementById('chart-history').data || [])"
        ".filter(t => t.mode === 'markers').reduce((n, t) => n + t.x.length, 0)"
    )


def test_upload_pick_target_start_and_watch_history_grow(page, user, tmp_path, celery_worker_process):
    log_in(page, user.username)
    page.click("a.button:has-text(\"Create a study\")")
    page.fill("#name", "Outcome from a CSV")
    page.set_input_files("#csv-file", str(_csv(tmp_path / "people.csv")))
    page.wait_for_selector("#preview tbody tr")
    page.select_option("#target", "outcome")
    page.wait_for_function("document.getElementById('task').textContent === 'classification'")
    # A forest is slow enough (about a second a trial) that the page sees the study mid-run.
    page.select_option("#estimator", "random_forest")
    page.select_option("#metric", "accuracy")
    page.fill("#cv", "3")
    screenshot(page, "wizard-1-data")
    page.click("#next")
    page.wait_for_selector("#space-table tbody tr")
    screenshot(page, "wizard-2-space")
    page.click("#next")
    page.wait_for_selector("#samplers input:checked")
    page.fill("#n_trials", "8")
    page.fill("#parallelism", "1")
    screenshot(page, "wizard-3-search")
    page.click("#next")
    page.wait_for_selector("#review dd")
    screenshot(page, "wizard-4-review")
    page.click("#create-start")

    page.wait_for_url(re.compile(r".*/studies/\d+/$"))
    page.wait_for_function("(document.getElementById('chart-history').data || []).some(t => t.mode === 'markers')",
                           timeout=60_000)
    first = _history_points(page)
    page.wait_for_function(f"(document.getElementById('chart-history').data || []).filter(t => t.mode === 'markers')"
                           f".reduce((n, t) => n + t.x.length, 0) > {first}", timeout=60_000)
    study = Study.objects.get(name="Outcome from a CSV")
    assert study.objective["target"] == "outcome"
    assert study.objective["estimator"] == "random_forest"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1, "the page never reloaded"
    page.wait_for_selector(".badge-completed", timeout=90_000)
    page.wait_for_timeout(1500)
    screenshot(page, "study-live-finished")
