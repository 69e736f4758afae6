"""A study of a quick formula (sphere) started in process, and reads of its trials: the setup of
the tests of chained and batched trials."""

from studies import services
from studies.models import Trial


def quick_study(owner, n_trials, parallelism=1):
    study = services.create_study(owner, {
        "name": "sphere", "objective": {"kind": "function", "name": "sphere"},
        "search_space": {"x": {"type": "float", "low": -1, "high": 1}},
        "budget": {"n_trials": n_trials, "parallelism": parallelism},
    })
    services.start_study(study.pk)
    return study


def trials_of(study):
    return list(Trial.objects.filter(study=study).order_by("number"))


def first_waiting(study):
    return Trial.objects.filter(study=study, state="waiting").order_by("number").first()
