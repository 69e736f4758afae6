"""Progress figures of a study: how far along, how long so far, how long still to go."""

from django.utils import timezone

from studies.models import Study, Trial


def progress(study, counts, now=None):
    """Done and total trials, percent, elapsed and estimated remaining seconds.

    The estimate assumes trials keep finishing at the rate seen so far; a time limit
    caps it. It is None when there is nothing to estimate from yet, or nothing left.
    """
    now = now or timezone.now()
    # Inherited trials ran in the parent study: the budget, and so the progress, counts them apart.
    done = max(sum(counts.get(state, 0) for state in Trial.FINISHED_STATES) - study.n_inherited, 0)
    total = study.n_trials
    elapsed_s = _elapsed_s(study, now)
    return {
        "done": done,
        "total": total,
        "percent": min(100.0, 100.0 * done / total) if total else None,
        "elapsed_s": elapsed_s,
        "eta_s": _eta_s(study, done, total, elapsed_s),
    }


def _elapsed_s(study, now):
    if study.started_at is None:
        return None
    end = study.finished_at if study.state in Study.FINISHED_STATES and study.finished_at else now
    return max((end - study.started_at).total_seconds(), 0.0)


def _eta_s(study, done, total, elapsed_s):
    if study.state != Study.State.RUNNING or not elapsed_s or not done:
        return None
    candidates = []
    if total:
        candidates.append(max(total - done, 0) * elapsed_s / done)
    if study.timeout_s:
        candidates.append(max(study.timeout_s - elapsed_s, 0.0))
    return min(candidates) if candidates else None
