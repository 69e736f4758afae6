"""Read a study's trials as the plain records that the engine works on."""

from studies.engine import SearchSpace, TrialRecord, make_pruner, make_sampler
from studies.models import Trial, TrialReport


def trial_records(study, with_reports_up_to=None):
    """Every trial of the study as an immutable TrialRecord, in number order.

    Only the columns the engine needs are read, never model instances, so a study of
    10,000 trials costs one light query. Intermediate values are loaded only when a
    pruner needs them, and only up to the given step.
    """
    rows = Trial.objects.filter(study_id=study.pk).order_by("number").values_list(
        "pk", "number", "params", "state", "value", "values"
    )
    intermediate = _intermediate_by_trial(study, with_reports_up_to) if with_reports_up_to is not None else {}
    return tuple(
        TrialRecord(
            number=number,
            params=params,
            state=state,
            value=value,
            values=tuple(values) if values is not None else None,
            intermediate=intermediate.get(pk, {}),
        )
        for pk, number, params, state, value, values in rows
    )


def _intermediate_by_trial(study, max_step):
    by_trial = {}
    reports = TrialReport.objects.filter(trial__study_id=study.pk, step__lte=max_step).values_list(
        "trial_id", "step", "value"
    )
    for trial_id, step, value in reports:
        by_trial.setdefault(trial_id, {})[step] = value
    return by_trial


def search_space_of(study):
    """The study's search space as the engine's value object."""
    return SearchSpace.from_json(study.search_space)


def sampler_of(study):
    """The study's sampler, built from its stored settings."""
    return make_sampler(study.sampler, seed=study.seed)


def pruner_of(study):
    """The study's pruner, or None when it has none."""
    return make_pruner(study.pruner)
