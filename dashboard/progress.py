"""Progress figures of a study: how far along, how long so far, how long still to go."""

from django.utils import timezone

from studies.models import Study, Trial


def progress(study, counts, now=None):
    """Done and total trials, percent, elapsed and estimated remaining seconds, and whether the
    study is `waiting_for_code`.

    The estimate assumes trials keep finishing at the rate seen so far; a time limit
    caps it. It is None when there is nothing to estimate from yet, nothing left, or nothing
    running in a study waiting for its code.
    """
    now = now or timezone.now()
    # Inherited trials ran in the parent study: the budget, and so the progress, counts them apart.
    done = max(sum(counts.get(state, 0) for state in Trial.FINISHED_STATES) - study.n_inherited, 0)
    total = study.n_trials
    elapsed_s = _elapsed_s(study, now)
    waiting = waiting_for_code(study, counts)
    return {
        "done": done,
        "total": total,
        "percent": min(100.0, 100.0 * done / total) if total else None,
        "elapsed_s": elapsed_s,
        "eta_s": None if waiting else _eta_s(study, done, total, elapsed_s),
        "waiting_for_code": waiting,
    }


def waiting_for_code(study, counts):
    """Whether a study of the user's own code has no trial running: it moves only when an agent or
    script asks for a trial, so no time left can be told (a rate of trials per second, taken while
    code ran, would promise an end that an idle study never reaches, and grow as it waits)."""
    takes_trials = study.state in (Study.State.CREATED, Study.State.RUNNING)
    return study.is_external and takes_trials and not counts.get(Trial.State.RUNNING)


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
