"""Leaving a finished trial out of a study's results, with a reason, and taking it back in.

An excluded trial stays in the trial list, marked with its reason, who excluded it and when;
everything that reads results through `read` leaves it out: the samplers and pruners (their
history), the best value, importance, the summary, the leaderboard and the charts. Each change
bumps the study's revision, so open pages refresh and cached figures and sentences expire.
"""

from django.utils import timezone

from studies.engine import encoding_fault
from studies.models import Trial

from .errors import Conflict, InvalidInput
from .locks import bump_revision, locked_study

MAX_REASON_CHARS = 500
_FIELDS = ["excluded_at", "excluded_by", "exclusion_reason", "revision"]


def exclude_trial(trial_id, reason, user):
    """Leave a finished trial out of the study's results, saying why.

    Excluding a trial that is already excluded replaces its reason (and who and when).

    Args:
        trial_id: The trial's id.
        reason: Why, in the user's words: 1 to MAX_REASON_CHARS characters, not only spaces.
        user: Who excludes it.

    Returns:
        The trial.

    Raises:
        InvalidInput: The reason is missing, empty or too long (field ``reason``).
        Conflict: The trial is still waiting or running: it has no result to leave out yet.
        Trial.DoesNotExist: There is no such trial.
    """
    reason = _checked_reason(reason)
    with locked_study(trial_id=trial_id) as study:
        trial = Trial.objects.select_for_update().get(pk=trial_id)
        if trial.state not in Trial.FINISHED_STATES:
            raise Conflict(f"trial {trial.number} is {trial.state}; only a finished trial can be excluded")
        trial.excluded_at, trial.excluded_by, trial.exclusion_reason = timezone.now(), user, reason
        trial.revision = bump_revision(study)
        trial.save(update_fields=_FIELDS)
    return trial


def include_trial(trial_id):
    """Count an excluded trial in the study's results again; a trial that is not excluded is left as it is.

    Raises:
        Trial.DoesNotExist: There is no such trial.
    """
    with locked_study(trial_id=trial_id) as study:
        trial = Trial.objects.select_for_update().get(pk=trial_id)
        if trial.excluded_at is None:
            return trial
        trial.excluded_at, trial.excluded_by, trial.exclusion_reason = None, None, ""
        trial.revision = bump_revision(study)
        trial.save(update_fields=_FIELDS)
    return trial


def _checked_reason(reason):
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput.single("reason", "say why the trial is excluded: the reason cannot be empty")
    reason = reason.strip()
    if fault := encoding_fault(reason):  # a form body skips the JSON parser's check
        raise InvalidInput.single("reason", f"the reason {fault}")
    if len(reason) > MAX_REASON_CHARS:
        raise InvalidInput.single("reason", f"a reason holds at most {MAX_REASON_CHARS} characters, got {len(reason)}")
    return reason
