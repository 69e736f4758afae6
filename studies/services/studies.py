"""Creating a study and moving it through its life: start, pause, resume, stop, change its budget,
run more trials."""

from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

from studies.models import Ensemble, Study, Trial

from . import baselines, caps, dispatch, scheduling
from .errors import Conflict, InvalidInput
from .limits import check_user_limit
from .locks import bump_revision, locked_study
from .specs import validate_budget_change, validate_study_spec

STOPPED = "stopped: the study was stopped before this trial finished"


def create_study(owner, spec):
    """Validate a study spec and store the study in state `created`.

    Raises InvalidInput naming each field at fault, TooMany when the owner holds
    TUNER_MAX_STUDIES_PER_USER studies; nothing is stored then.
    """
    check_user_limit(Study.objects.filter(owner=owner).count(), settings.TUNER_MAX_STUDIES_PER_USER, "studies",
                     "delete some first")
    clean = validate_study_spec(owner, spec)
    clean.pop("dataset")
    return Study.objects.create(owner=owner, **clean)


def start_study(study_id):
    """Start a created study: workers begin running its trials (external studies wait for asks)."""
    dispatch.require_broker()
    with _moving(study_id, Study.State.CREATED, Study.State.RUNNING, "started", started_at=timezone.now()) as study:
        scheduling.enqueue_waiting(study)
        scheduling.fill_slots(study)
        baselines.request_baseline(study)
    return study


def pause_study(study_id):
    """Stop handing out new trials; running built-in trials stop at their next fold or stage and
    wait to run again from the start on resume (running.py); external ones finish as their code runs."""
    with _moving(study_id, Study.State.RUNNING, Study.State.PAUSED, "paused") as study:
        # Trials handed to a worker in a batch but not run yet are not running: they wait.
        scheduling.give_back_reserved(study)
    return study


def resume_study(study_id):
    """Resume a paused study where it left off."""
    dispatch.require_broker()
    with _moving(study_id, Study.State.PAUSED, Study.State.RUNNING, "resumed") as study:
        # Messages for waiting trials may have been consumed while paused; send them again.
        # A duplicate is harmless: the claim lets only one delivery run a trial.
        scheduling.enqueue_waiting(study)
        scheduling.top_up(study)
    return study


def change_budget(study_id, changes):
    """Change the budget of a study that has not finished (n_trials, timeout_s, parallelism):
    a larger count or parallelism fills the free slots at once, a count or time limit now spent
    completes it once its running trials end. A finished study runs more with `run_more_trials`.

    Raises:
        InvalidInput: naming each field at fault (`specs.validate_budget_change`).
        Conflict: the study has finished.
    """
    with locked_study(study_id) as study:
        if study.state in Study.FINISHED_STATES:
            raise Conflict(f"the study is {study.state}; run more trials instead of changing its budget")
        fields = validate_budget_change(study, changes, timezone.now())
        for name, value in fields.items():
            setattr(study, name, value)
        study.save(update_fields=[*fields, "updated_at"])
        bump_revision(study)
        if study.state == Study.State.RUNNING and not study.is_external:
            dispatch.require_broker()
            scheduling.top_up(study)
        elif study.state == Study.State.RUNNING:
            scheduling.complete_if_done(study)
    return study


def run_more_trials(study_id, more):
    """Let a completed or stopped study run `more` trials where it left off: the same history,
    sampler and search space, its budget raised to the trials it made plus `more`.

    A time limit, if the study has one, allows as long again from now. Its stop rules are dropped:
    a person asking for more trials wants them run, and a patience or target rule already met
    would stop the study again after its first new trial. The ensemble of a finished auto study
    is dropped too, so the study's next finish makes it again from the new best trials.

    Raises:
        InvalidInput: `more` is not a whole number of at least 1 (field ``more_trials``).
        Conflict: the study is not completed or stopped, its grid is exhausted, or the per-study
            trial cap leaves no room for `more`.
    """
    if isinstance(more, bool) or not isinstance(more, int) or more < 1:
        raise InvalidInput({"more_trials": ["give a whole number of trials, 1 or more"]})
    with locked_study(study_id) as study:
        if study.state not in (Study.State.COMPLETED, Study.State.STOPPED):
            raise Conflict(f"the study is {study.state}; only a completed or stopped study can run more trials")
        room = caps.cap_left(study)
        if more > room:
            raise Conflict(f"the study has room for {room} more trials (a study holds at most "
                           f"{settings.TUNER_MAX_TRIALS_PER_STUDY}), not {more}")
        if not study.is_external:
            dispatch.require_broker()
            if scheduling.is_grid(study) and scheduling.grid_exhausted(study):
                raise Conflict("the grid is exhausted: every point of it has been tried")
        now = timezone.now()
        if study.timeout_s and study.started_at:
            study.timeout_s += int((now - study.started_at).total_seconds())
        study.n_trials = caps.n_own(study) + more
        study.state, study.stop_reason, study.stop_rules, study.finished_at = Study.State.RUNNING, "", None, None
        study.save(update_fields=["n_trials", "timeout_s", "state", "stop_reason", "stop_rules", "finished_at",
                                  "updated_at"])
        bump_revision(study)
        Ensemble.objects.filter(study=study).delete()
        if not study.is_external:
            scheduling.fill_slots(study)
    return study


@contextmanager
def _moving(study_id, source, target, verb, **fields):
    """Under the study lock, move a study from `source` to `target` (with `fields`), or raise Conflict."""
    with locked_study(study_id) as study:
        if study.state != source:
            raise Conflict(f"the study is {study.state}; only a {source} study can be {verb}")
        study.state = target
        for name, value in fields.items():
            setattr(study, name, value)
        study.save(update_fields=["state", *fields, "updated_at"])
        yield study


def stop_study(study_id):
    """End the study for good: waiting trials are stopped; running ones stop at their next fold or
    stage (their worker checks, see running.py) and are recorded as stopped too."""
    with locked_study(study_id) as study:
        if study.state in Study.FINISHED_STATES:
            raise Conflict(f"the study is already {study.state}")
        end_study(study, Study.StopReason.USER)
    return study


def end_study(study, reason):
    """Stop a study that is not finished, inside locked_study, noting why (a `Study.StopReason`):
    the one stop path for a person and for the budget's stop rules (stopping.py). Waiting trials
    are stopped, and the ensemble and the explanation follow once the transaction commits."""
    revision = bump_revision(study)
    Trial.objects.filter(study=study, state=Trial.State.WAITING).update(
        state=Trial.State.STOPPED, error=STOPPED, finished_at=timezone.now(), revision=revision
    )
    study.state = Study.State.STOPPED
    study.stop_reason = reason
    study.finished_at = timezone.now()
    study.save(update_fields=["state", "stop_reason", "finished_at", "updated_at"])
    scheduling.ask_for_results(study)


def delete_study(study_id):
    """Delete a study and all its trials. Running trials' later tells answer 404."""
    Study.objects.filter(pk=study_id).delete()
