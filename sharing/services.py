"""Every state change of sharing: members, share links, notes, best-model exports.

Views and tasks call only these.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from studies import selectors
from studies.models import Study, Trial
from studies.services import Conflict, InvalidInput
from studies.services.scheduling import require_broker

from . import model_export
from .models import ModelExport, Note, ShareLink, StudyMember
from .tokens import hash_token, matches, new_token

log = logging.getLogger(__name__)
MAX_NOTE_CHARS = 20_000
# Opening a page records the time; closer opens than this are not worth a write.
TOUCH_EVERY_S = 60
MAX_ERROR_CHARS = 2_000
# A running export still running this long after the hard time limit has lost its worker.
LOST_AFTER_LIMIT_S = 60
NOT_PREPARED = ("the best model is not prepared yet: prepare it with the button on the study page (or POST "
                "/api/studies/{study_id}/best-model/), then download it once it is ready")
LOST = ("the worker stopped while refitting (it may have run out of memory or time); "
        "prepare the best model again to retry")


def add_member(study_id, username, role):
    """Share a study with a user as viewer or editor; a second call changes the role.

    Returns (member, created). Raises InvalidInput for an unknown user, the owner, or a bad role.
    """
    if role not in StudyMember.Role.values:
        raise InvalidInput.single("role", f"{role!r} is not a role; use one of {StudyMember.Role.values}")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput.single("username", f"there is no user {username!r}")
    study = Study.objects.only("owner_id").get(pk=study_id)
    if study.owner_id == user.pk:
        raise InvalidInput.single("username", "the owner already has every right on the study")
    member, created = StudyMember.objects.update_or_create(study_id=study_id, user=user, defaults={"role": role})
    return member, created


def remove_member(study_id, username):
    """Stop sharing a study with a user. Returns whether they were a member."""
    deleted, _ = StudyMember.objects.filter(study_id=study_id, user__username=username).delete()
    return bool(deleted)


def create_share_link(study_id, created_by, expires_at=None):
    """Make a read-only link to a study. Returns (link, token); the token is never stored or shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput.single("expires_at", "the expiry must be in the future")
    token = new_token()
    link = ShareLink.objects.create(study_id=study_id, token_hash=hash_token(token), created_by=created_by,
                                    expires_at=expires_at)
    return link, token


def revoke_share_link(link_id):
    """Revoke a link for good; revoking twice changes nothing."""
    ShareLink.objects.filter(pk=link_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def live_links():
    now = timezone.now()
    return ShareLink.objects.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def open_share_link(token, touch=False):
    """The live link behind a token, or None (unknown, revoked or expired).

    With `touch`, records when the link was opened, at most once a minute per link.
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = live_links().select_related("study", "study__owner").filter(token_hash=hash_token(token)).first()
    if link is None or not matches(token, link.token_hash):
        return None
    if touch:
        now = timezone.now()
        stale = Q(last_opened_at__isnull=True) | Q(last_opened_at__lt=now - timezone.timedelta(seconds=TOUCH_EVERY_S))
        ShareLink.objects.filter(stale, pk=link.pk).update(last_opened_at=now)
    return link


def save_note(study_id, trial_number, text, user):
    """Write the note on a study (trial_number None) or one of its trials; empty text deletes it.

    Returns the note, or None when it was deleted.
    """
    if not isinstance(text, str):
        raise InvalidInput.single("text", "must be text")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput.single("text", f"a note holds at most {MAX_NOTE_CHARS:,} characters, got {len(text):,}")
    trial = None
    if trial_number is not None:
        trial = Trial.objects.filter(study_id=study_id, number=trial_number).only("pk").first()
        if trial is None:
            raise InvalidInput.single("trial", f"the study has no trial #{trial_number}")
    with transaction.atomic():
        if not text.strip():
            Note.objects.filter(study_id=study_id, trial=trial).delete()
            return None
        note, _ = Note.objects.update_or_create(study_id=study_id, trial=trial,
                                                defaults={"text": text, "updated_by": user})
    return note


def prepare_best_model(study_id, user):
    """Have a worker refit the study's best trial on the whole dataset, unless that is done or under way.

    Args:
        study_id: The study; its best complete trial is the one refitted.
        user: Who asked; recorded on a new export.

    Returns:
        (export, created): the ready or pending export of the current best trial when there is
        one (no second refit), else a new queued export, sent to the workers once the
        transaction commits. The export carries `is_best` (True).

    Raises:
        Conflict: The study has no model (not a built-in scikit-learn study, or no complete trial yet).
        Busy: The task queue is unreachable; nothing is stored.
    """
    study = Study.objects.get(pk=study_id)
    try:
        best = model_export.best_trial(study)
    except model_export.NoModel as exc:
        raise Conflict(str(exc)) from None
    export = _live_export(best.pk)
    if export is not None and _checked(export).state != ModelExport.State.FAILED:
        export.is_best = True
        return export, False
    require_broker()
    try:
        with transaction.atomic():
            export = ModelExport.objects.create(study=study, trial=best, requested_by=user, sent_at=timezone.now())
            _send_on_commit(export.pk)
        created = True
    except IntegrityError:  # a simultaneous request for the same trial stored its export first
        export, created = _live_export(best.pk), False
    export.is_best = True
    return export, created


def latest_model_export(study_id):
    """The study's most recent export in any state, or None.

    A pending export that looks lost is repaired first (see `_checked`). The export carries
    `is_best`: whether its trial is still the study's best.
    """
    export = (ModelExport.objects.filter(study_id=study_id).select_related("study", "trial", "requested_by")
              .order_by("-pk").first())
    if export is None:
        return None
    export = _checked(export)
    best = selectors.best_trial(export.study)
    export.is_best = best is not None and best.pk == export.trial_id
    return export


def ready_model_export(study):
    """The study's most recent ready export: what the downloads serve, even if the best has changed since.

    Raises:
        Http404: The study is not a built-in scikit-learn study, so it has no model at all.
        Conflict: No export is ready yet (409): it must be prepared first.
    """
    if not model_export.has_model(study):
        raise Http404(model_export.NOT_A_MODEL_STUDY)
    export = ModelExport.objects.filter(study_id=study.pk, state=ModelExport.State.READY).order_by("-pk").first()
    if export is None:
        raise Conflict(NOT_PREPARED.format(study_id=study.pk))
    return export


def model_filename(study_id, suffix="joblib"):
    """The download name of a study's best model ("joblib") or of its text ("py")."""
    return f"study-{study_id}-best-model.{suffix}"


def refit_best_model(export_id):
    """Refit an export's trial on the whole dataset and store the model and its text (workers call this).

    The export is claimed first, so a duplicate delivery does nothing. Every failure (no model,
    the dataset deleted, an error or the time limit while fitting) marks the export failed with
    the reason in words and is not raised: an export never crashes a worker. Once it is ready,
    the study's older finished exports and their files are deleted.

    Returns:
        The export's new state ("ready" or "failed"), or None when there was nothing to do.
    """
    claimed = ModelExport.objects.filter(pk=export_id, state=ModelExport.State.QUEUED).update(
        state=ModelExport.State.RUNNING, started_at=timezone.now())
    export = ModelExport.objects.filter(pk=export_id).select_related("study", "trial").first() if claimed else None
    if export is None:
        return None
    try:
        content, text = model_export.best_model(export.study, export.trial)
    except model_export.NoModel as exc:
        return _fail(export, str(exc))
    except SoftTimeLimitExceeded:
        limit_s = settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S
        return _fail(export, f"the refit took longer than {limit_s} s, the time limit of one fit")
    except OSError as exc:  # the dataset's file is gone or unreadable; its path is no one's business
        log.warning("export %s: the dataset could not be read: %s", export_id, exc)
        return _fail(export, f"the study's dataset could not be read ({exc.strerror or type(exc).__name__})")
    except Exception as exc:  # a fit can raise anything (MemoryError, a bad CSV value): record it, do not crash
        log.exception("refitting the model of export %s failed", export_id)
        return _fail(export, f"the refit failed: {type(exc).__name__}: {exc}")
    return _store(export, content, text)


def delete_model_file(sender, instance, **kwargs):
    """Remove a deleted export's file once the deletion commits (a post_delete receiver)."""
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def _live_export(trial_id):
    return (ModelExport.objects.filter(trial_id=trial_id).exclude(state=ModelExport.State.FAILED)
            .select_related("study", "trial", "requested_by").first())


def _checked(export):
    """Send a queued export again when its message may be lost, and fail a running one whose
    worker must be gone: what the reconciler does for trials, done when someone looks."""
    now = timezone.now()
    if export.state == ModelExport.State.QUEUED:
        if export.sent_at is None or export.sent_at < now - timedelta(seconds=settings.TUNER_RESEND_AFTER_S):
            # Conditional, so only one of several simultaneous readers sends it; a duplicate
            # message would do nothing anyway, as the worker claims the export first.
            if ModelExport.objects.filter(pk=export.pk, state=export.state, sent_at=export.sent_at).update(sent_at=now):
                _send_on_commit(export.pk)
    elif export.state == ModelExport.State.RUNNING:
        lost_after = timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + LOST_AFTER_LIMIT_S)
        if export.started_at < now - lost_after:
            ModelExport.objects.filter(pk=export.pk, state=export.state, started_at=export.started_at).update(
                state=ModelExport.State.FAILED, error=LOST, finished_at=now)
            export.refresh_from_db(fields=["state", "error", "finished_at"])
    return export


def _fail(export, message):
    ModelExport.objects.filter(pk=export.pk, state=ModelExport.State.RUNNING).update(
        state=ModelExport.State.FAILED, error=message[:MAX_ERROR_CHARS], finished_at=timezone.now())
    return ModelExport.State.FAILED


def _store(export, content, text):
    storage = export.file.storage
    name = storage.save(export.file.field.generate_filename(export, model_filename(export.study_id)),
                        ContentFile(content))
    stored = ModelExport.objects.filter(pk=export.pk, state=ModelExport.State.RUNNING).update(
        state=ModelExport.State.READY, file=name, text=text, finished_at=timezone.now())
    if not stored:  # deleted with its study, or failed as lost meanwhile: keep no orphan file
        storage.delete(name)
        return None
    older = ModelExport.objects.filter(study_id=export.study_id, pk__lt=export.pk)
    older.exclude(state__in=ModelExport.PENDING_STATES).delete()
    return ModelExport.State.READY


def _send_on_commit(export_id):
    from . import tasks  # tasks import services: import here to break the cycle

    transaction.on_commit(lambda: tasks.refit_best_model.delay(export_id), robust=True)
