"""The budget's stop rules stop a study through the Stop path and record which rule did."""

import numpy as np
import pytest

from studies import services
from studies.models import Study, Trial
from studies.services import read
from studies.services.stopping import stop_sentence

pytestmark = pytest.mark.django_db

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "y": {"type": "float", "low": 0.0, "high": 1.0}}


def _external(owner, direction="maximize", **budget):
    spec = {"name": "stops early", "objective": {"kind": "external"}, "direction": direction, "search_space": SPACE,
            "sampler": {"name": "random", "seed": 0}, "budget": {"n_trials": 100, **budget}}
    return services.create_study(owner, spec)


def _run(study, values, details=None):
    """Ask and tell one trial per value, as an external agent would; stop when the study does."""
    for value in values:
        trial = services.ask_trial(study.pk)
        services.tell_trial(trial.pk, value=value, details=details)
        study.refresh_from_db()
        if study.state != Study.State.RUNNING:
            break
    return study


def test_the_target_stops_the_study_once_the_best_reaches_it(owner):
    study = _external(owner, target=0.95)

    study = _run(study, [0.5, 0.9, 0.96, 0.7])

    assert study.state == Study.State.STOPPED and study.stop_reason == "target"
    assert Trial.objects.filter(study=study).count() == 3


def test_the_target_respects_a_minimised_direction(owner):
    study = _external(owner, direction="minimize", target=0.1)

    study = _run(study, [0.5, 0.2, 0.09])

    assert study.stop_reason == "target" and read.complete_count(study)[0] == 3


def test_patience_stops_after_that_many_trials_without_a_large_enough_improvement(owner):
    study = _external(owner, patience=3, min_delta=0.01)

    study = _run(study, [0.5, 0.6, 0.605, 0.6, 0.609, 0.7])

    assert study.stop_reason == "patience" and read.complete_count(study)[0] == 5


def test_an_excluded_trial_does_not_count_for_patience(owner):
    study = _external(owner, patience=2)
    leak = services.ask_trial(study.pk)
    services.tell_trial(leak.pk, value=0.99)
    services.exclude_trial(leak.pk, "the data leaked into this one", owner)

    study = _run(study, [0.5, 0.6, 0.7])

    assert study.state == Study.State.RUNNING and not study.stop_reason


def test_the_regret_bound_stops_a_flat_study_whose_folds_are_noisy(owner):
    study = _external(owner, regret_bound={"min_trials": 10})
    values = 0.9 + np.random.default_rng(0).normal(0, 0.002, 30)

    study = _run(study, values, details={"fold_scores": [0.8, 0.9, 1.0]})

    assert study.stop_reason == "regret_bound" and read.complete_count(study)[0] == 10


def test_the_regret_bound_does_not_stop_a_study_that_is_still_improving(owner):
    study = _external(owner, regret_bound={"min_trials": 10})

    study = _run(study, [i / 30 for i in range(30)], details={"fold_scores": [0.5, 0.5001, 0.5002]})

    assert study.state == Study.State.RUNNING and study.stop_reason == ""


def test_a_rule_stop_stops_waiting_trials_as_stop_does(owner):
    study = _external(owner, target=0.95)
    asked = services.ask_trial(study.pk)
    services.enqueue_trial(study.pk, {"x": 0.1, "y": 0.1})

    services.tell_trial(asked.pk, value=0.97)

    assert list(Trial.objects.filter(study=study, state=Trial.State.STOPPED).values_list("number", flat=True)) == [1]


def test_a_rule_stop_queues_the_results_as_stop_does(owner, monkeypatch):
    asked = []
    monkeypatch.setattr(services.scheduling, "ask_for_results", lambda study: asked.append(study.pk))
    study = _external(owner, target=0.95)

    _run(study, [0.97])

    assert asked == [study.pk]


def test_an_ask_after_a_rule_stop_says_which_rule(owner):
    study = _run(_external(owner, target=0.95), [0.97])

    with pytest.raises(services.Conflict, match="reached your target of 0.95"):
        services.ask_trial(study.pk)


def test_a_study_without_rules_records_the_budget_as_its_end(owner):
    study = _run(_external(owner, n_trials=2), [0.5, 0.6])

    assert study.state == Study.State.COMPLETED and study.stop_reason == "budget"


def test_pressing_stop_records_the_user(owner):
    study = _run(_external(owner), [0.5])

    services.stop_study(study.pk)

    study.refresh_from_db()
    assert study.stop_reason == "user" and stop_sentence(study) == ""


@pytest.mark.parametrize("budget, values, sentence", [
    ({"target": 0.95}, [0.5, 0.6, 0.97], "Stopped: the best value reached your target of 0.95 after 3 trials."),
    ({"target": 0.95}, [0.97], "Stopped: the best value reached your target of 0.95 after 1 trial."),
    ({"patience": 2, "min_delta": 0.001}, [0.97, 0.5, 0.4],
     "Stopped: 2 trials in a row did not improve on the best by at least 0.001."),
    ({"patience": 2}, [0.97, 0.5, 0.4], "Stopped: 2 trials in a row did not improve on the best."),
])
def test_the_sentence_says_which_rule_stopped_the_study(owner, budget, values, sentence):
    study = _run(_external(owner, **budget), values)

    assert stop_sentence(study) == sentence


def test_the_sentence_for_the_regret_bound_speaks_of_noise(owner):
    study = _external(owner, regret_bound=True)
    Study.objects.filter(pk=study.pk).update(state=Study.State.STOPPED, stop_reason="regret_bound")
    study.refresh_from_db()

    assert stop_sentence(study) == ("Stopped: more trials are unlikely to improve the best by more than the "
                                    "evaluation's own noise.")
