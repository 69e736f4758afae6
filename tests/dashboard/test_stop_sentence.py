"""The study page says in plain words which stop rule ended the study."""

import pytest
from django.utils import timezone

from studies.models import Study
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db


def _stopped_by_target(owner):
    study = make_study(owner, directions=("maximize",), stop_rules={"target": 0.95, "patience": None,
                                                                    "min_delta": 0.0, "regret_bound": None})
    add_trials(study, [("complete", 0.9, {"lr": 0.01, "depth": 3, "kernel": "rbf"}),
                       ("complete", 0.96, {"lr": 0.02, "depth": 4, "kernel": "rbf"})])
    Study.objects.filter(pk=study.pk).update(state="stopped", stop_reason="target", finished_at=timezone.now())
    return study


def test_the_page_of_a_study_its_target_stopped_says_so(site, owner):
    study = _stopped_by_target(owner)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "Stopped: the best value reached your target of 0.95 after 2 trials." in page


def test_the_live_poll_carries_the_sentence(site, owner):
    study = _stopped_by_target(owner)

    header = site.get(f"/studies/{study.pk}/live.json?since=0").json()["header"]

    assert header["stopped_because"].startswith("Stopped: the best value reached your target")


def test_a_study_stopped_by_hand_shows_no_rule_sentence(site, owner):
    study = make_study(owner)
    Study.objects.filter(pk=study.pk).update(state="stopped", stop_reason="user", finished_at=timezone.now())

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "Stopped:" not in page


def test_a_duplicate_copies_the_stop_rules_into_the_wizard(owner):
    from dashboard.wizard import prefill_from

    study = make_study(owner, stop_rules={"target": 0.0, "patience": None, "min_delta": 0.0,
                                          "regret_bound": {"min_trials": 20, "check_every": 1}})

    budget = prefill_from(study)["budget"]

    assert budget["target"] == 0.0 and budget["regret_bound"] == {"min_trials": 20, "check_every": 1}
    assert "patience" not in budget and "min_delta" not in budget
