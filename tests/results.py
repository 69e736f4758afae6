"""Helpers for tests of a study's result: a baseline and an ensemble as a worker would have stored them."""

from studies import services
from studies.models import Baseline, Ensemble, Trial

from tests.roles import IRIS

TWO_FAMILIES = {**IRIS, "estimator": ["knn", "logistic_regression"]}


def ready_baseline(study, value=0.33, cv_std=0.01, strategy="most_frequent", roles=None):
    """The study's baseline, ready, as `services.compute_baseline` stores it."""
    return Baseline.objects.create(**Baseline.key_of(study.objective), objective=study.objective, state="ready",
                                   value=value, cv_std=cv_std, strategy=strategy,
                                   roles=roles if roles is not None else {"majority": 0, "positive": None})


def ready_ensemble(study, members, beats, value, best_value):
    """The study's ensemble, evaluated, as `services.evaluate_ensemble` stores it."""
    return Ensemble.objects.create(study=study, members=members, state="ready", value=value, best_trial=members[0],
                                   best_value=best_value, beats=beats,
                                   details={"cv_mean": value, "cv_std": 0.01, "fit_time_s": 0.1,
                                            "fold_scores": [value] * 3})


def run_to_the_end(owner, objective=TWO_FAMILIES, n_trials=6, name="auto"):
    """Create and start a built-in study, and run its trials in this process until it completes."""
    study = services.create_study(owner, {"name": name, "objective": objective, "budget": {"n_trials": n_trials}})
    services.start_study(study.pk)
    while (trial := Trial.objects.filter(study=study, state="waiting").first()) is not None:
        services.run_trial(trial.pk)
    study.refresh_from_db()
    return study
