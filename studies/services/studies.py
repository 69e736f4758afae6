"""Creating a study and moving it through its life: start, pause, resume, stop."""

from django.conf import settings
from django.utils import timezone

from studies.models import Study, Trial

from . import scheduling
from .errors import Conflict
from .limits import check_user_limit
from .locks import bump_revision, locked_study
from .specs import validate_study_spec


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
    scheduling.require_broker()
    with locked_study(study_id) as study:
        if study.state != Study.State.CREATED:
            raise Conflict(f"the study is {study.state}; only a created study can be started")
        study.state = Study.State.RUNNING
        study.started_at = timezone.now()
        study.save(update_fields=["state", "started_at", "updated_at"])
        scheduling.enqueue_waiting(study)
        scheduling.fill_slots(study)
    return study


def pause_study(study_id):
    """Stop handing out new trials; trials already running finish and are recorded."""
    with locked_study(study_id) as study:
        if study.state != Study.State.RUNNING:
            raise Conflict(f"the study is {study.state}; only a running study can be paused")
        study.state = Study.State.PAUSED
        study.save(update_fields=["state", "updated_at"])
    return study


def resume_study(study_id):
    """Resume a paused study where it left off."""
    scheduling.require_broker()
    with locked_study(study_id) as study:
        if study.state != Study.State.PAUSED:
            raise Conflict(f"the study is {study.state}; only a paused study can be resumed")
        study.state = Study.State.RUNNING
        study.save(update_fields=["state", "updated_at"])
        # Messages for waiting trials may have been consumed while paused; send them again.
        # A duplicate is harmless: the claim lets only one delivery run a trial.
        scheduling.enqueue_waiting(study)
        scheduling.top_up(study)
    return study


def stop_study(study_id):
    """End the study for good: waiting trials are cancelled, running ones may still report."""
    with locked_study(study_id) as study:
        if study.state in Study.FINISHED_STATES:
            raise Conflict(f"the study is already {study.state}")
        revision = bump_revision(study)
        Trial.objects.filter(study=study, state=Trial.State.WAITING).update(
            state=Trial.State.FAILED, error="cancelled: the study was stopped", finished_at=timezone.now(), revision=revision
        )
        study.state = Study.State.STOPPED
        study.finished_at = timezone.now()
        study.save(update_fields=["state", "finished_at", "updated_at"])
    return study


def delete_study(study_id):
    """Delete a study and all its trials. Running trials' later tells answer 404."""
    Study.objects.filter(pk=study_id).delete()
