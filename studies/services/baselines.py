"""The baseline of a built-in study's data as a job: asked for when the study starts, computed
once per dataset, target, metric and folds by a worker, read by every study on the same data."""

from django.db import IntegrityError, transaction

from studies import objectives
from studies.models import Baseline

from . import dispatch, jobs
from .datasets import dataset_path


def request_baseline(study):
    """Have a worker compute the baseline of a built-in study's data, unless it is done or under way.

    Called inside the transaction that starts the study; the job is sent once it commits.
    A failed baseline is tried again (the worker may have been lost, the file fixed since).

    Returns:
        The study's `Baseline` row, or None for a study without one (not a built-in model).
    """
    key = Baseline.key_of(study.objective)
    if key is None:
        return None
    baseline = Baseline.objects.filter(**key).first()
    if baseline is None:
        try:
            with transaction.atomic():
                baseline = Baseline.objects.create(**key, objective=study.objective, upload_id=_upload_id(key))
        except IntegrityError:  # another study on the same data asked at the same moment
            return Baseline.objects.filter(**key).first()
    elif baseline.state == Baseline.State.FAILED:
        if not Baseline.objects.filter(pk=baseline.pk, state=Baseline.State.FAILED).update(
                state=Baseline.State.QUEUED, error="", objective=study.objective):
            return baseline
    else:
        return baseline
    jobs.send(baseline, dispatch.COMPUTE_BASELINE)
    return baseline


def compute_baseline(baseline_id):
    """The job (see `jobs`) that cross-validates the constant guess of a baseline and stores it."""
    baseline = jobs.claim(Baseline, baseline_id)
    if baseline is None:
        return None
    spec = baseline.objective
    found, failed = jobs.guarded(baseline, lambda: _compute(spec), "computing the baseline")
    if failed:
        return failed
    found, roles = found
    stored = jobs.finish(baseline, value=found["value"], cv_std=found["cv_std"],
                         strategy=found["strategy"], roles=roles)
    return Baseline.State.READY if stored else None


def _compute(spec):
    table = objectives.load_table(spec, dataset_path(spec))
    found = objectives.compute_baseline(table.y, table.task, spec["metric"], spec["cv"])
    return found, objectives.class_roles(table.y) if table.task == "classification" else None


def repair(now):
    """Resend queued baselines whose message may be lost; fail running ones whose worker is gone."""
    return jobs.repair(Baseline, dispatch.COMPUTE_BASELINE, now)


def _upload_id(key):
    reference = key["dataset"]
    return int(reference.removeprefix("csv:")) if reference.startswith("csv:") else None
