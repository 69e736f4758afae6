"""Try a demo from the welcome page, watch it run, stop it; delete a study with confirmation."""

import re

import pytest

from studies.models import Study
from tests.dashboard.conftest import make_study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_try_a_demo_shows_live_points_and_stops(logged_in, celery_worker_process):
    logged_in.goto("/")

    logged_in.click("[data-testid=try-demo]")

    logged_in.wait_for_url(re.compile(r".*/studies/\d+/$"))
    logged_in.wait_for_function("(document.getElementById('chart-history').data || []).some(t => t.mode === 'markers')",
                                timeout=60_000)
    logged_in.click("#controls [data-action=stop]")
    logged_in.wait_for_selector("[data-field=state].badge-stopped")
    assert Study.objects.get().state == "stopped"
    screenshot(logged_in, "study-demo-stopped")


def test_delete_asks_first_then_goes_back_to_the_list(logged_in, user):
    study = make_study(user, name="Doomed")
    logged_in.goto(f"/studies/{study.pk}/")

    logged_in.click("#controls [data-action=delete]")
    logged_in.wait_for_selector("#delete-dialog[open]")
    screenshot(logged_in, "study-delete-dialog")
    logged_in.click("#delete-dialog button[value=cancel]")
    assert Study.objects.filter(pk=study.pk).exists()
    logged_in.click("#controls [data-action=delete]")
    logged_in.click("#confirm-delete")

    logged_in.wait_for_url(re.compile(r".*/$"))
    logged_in.wait_for_selector("[data-testid=try-demo]")
    assert not Study.objects.filter(pk=study.pk).exists()


def test_pause_and_resume_switch_the_buttons(logged_in, user):
    study = make_study(user, name="Pausable", state="running")
    logged_in.goto(f"/studies/{study.pk}/")

    logged_in.click("#controls [data-action=pause]")
    logged_in.wait_for_selector("#controls [data-action=resume]:visible")
    assert logged_in.is_hidden("#controls [data-action=pause]")
    logged_in.click("#controls [data-action=resume]")

    logged_in.wait_for_selector("#controls [data-action=pause]:visible")
    assert Study.objects.get(pk=study.pk).state == "running"
