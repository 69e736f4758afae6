"""The caps every new or started trial must fit, each checked here and only here.

Ask, enqueue, start and the scheduler all call these, so a trial enqueued by hand meets the
same limits as one the sampler suggests:
- the study's budget (n_trials, timeout_s) and the per-study trial cap: 409, the study may
  take no more trials;
- the owner's running trials (TUNER_MAX_RUNNING_PER_USER): 429 until some finish;
- the owner's trials enqueued by hand and still waiting (TUNER_MAX_WAITING_PER_USER): 429
  until some run;
- parallelism, how many of a built-in study's trials the workers hold at once, is kept by
  scheduling.fill_slots, which sends waiting trials only into free slots.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from studies.models import Study, Trial

from .errors import Conflict, TooMany


def n_own(study):
    """How many trials the study made itself: all but those it inherited from its parent,
    which the budget does not count."""
    return study.next_number - study.n_inherited


def budget_left(study):
    """How many more trials the budget allows, or None when it sets no count."""
    if study.timeout_s and study.started_at and timezone.now() >= study.started_at + timedelta(seconds=study.timeout_s):
        return 0
    if study.n_trials is None:
        return None
    return max(study.n_trials - n_own(study), 0)


def cap_left(study):
    """How many more trials the per-study trial cap allows."""
    return max(settings.TUNER_MAX_TRIALS_PER_STUDY - study.next_number, 0)


def room_left(study):
    """How many more trials the budget and the per-study trial cap allow together."""
    left = budget_left(study)
    return cap_left(study) if left is None else min(left, cap_left(study))


def check_room(study):
    """Raise Conflict, naming the cap and its number, when the study may take no more trials."""
    if study.next_number >= settings.TUNER_MAX_TRIALS_PER_STUDY:
        raise Conflict(f"trial cap reached: a study holds at most {settings.TUNER_MAX_TRIALS_PER_STUDY} trials")
    if budget_left(study) == 0:
        if study.n_trials is not None and n_own(study) >= study.n_trials:
            raise Conflict(f"budget exhausted: the study has all {study.n_trials} trials its budget allows")
        raise Conflict(f"budget exhausted: the study's time budget of {study.timeout_s} s is spent")


def running_trials_of_owner(study_id, trial_id=None):
    """How many trials the study's owner has running, across all their studies; give the
    study's id, or the id of one of its trials."""
    studies = Study.objects.filter(pk=study_id) if trial_id is None else Study.objects.filter(trials__pk=trial_id)
    owner_id = studies.values("owner_id")[:1]
    return Trial.objects.filter(study__owner_id=Subquery(owner_id), state=Trial.State.RUNNING).count()


def running_trials_of_owner_expression():
    """`running_trials_of_owner` as an expression to annotate a query of studies with."""
    running = Trial.objects.filter(study__owner_id=OuterRef("owner_id"), state=Trial.State.RUNNING).order_by()
    counted = running.values("study__owner_id").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def check_running(running):
    """Raise TooMany when the owner's `running` trials are at the per-user cap."""
    if running >= settings.TUNER_MAX_RUNNING_PER_USER:
        raise TooMany(
            f"too many running trials: you have {running}, the cap is {settings.TUNER_MAX_RUNNING_PER_USER}; "
            "tell or fail some first"
        )


def check_waiting(study):
    """Raise TooMany when the owner's trials enqueued by hand and not yet run are at the per-user cap."""
    waiting = Trial.objects.filter(study__owner_id=study.owner_id, state=Trial.State.WAITING,
                                   origin=Trial.Origin.MANUAL).count()
    if waiting >= settings.TUNER_MAX_WAITING_PER_USER:
        raise TooMany(
            f"too many waiting trials: you have {waiting} enqueued and not yet run, the cap is "
            f"{settings.TUNER_MAX_WAITING_PER_USER}; let some run first"
        )
