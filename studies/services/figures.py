"""A large study's figures kept in the database by a worker (`StudyFigures`): its tally (counts
per state, the best values, the summary's counts and parts; `tally.py`) and its parameters'
importance, so that a page opened after the cache lost them (a Redis restart, an eviction, a
deployment) reads them instead of counting 100,000 trials and fitting the importance forest
while its viewer waits. The cache stays where pages read first; this is what they fall back on.

The reconciler sends `keep_figures` for every study of `read.KEPT_FROM` trials or more whose
kept figures lag its revision, at most once every `KEEP_EVERY_S` seconds a study: a reader
folds forward the trials changed since (`read._tally`), so figures a minute old cost it a few
rows. Reads never write them (a page changes nothing)."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from studies.models import Study, StudyFigures

from . import dispatch, importance, read, summary, tally
from .clock import db_now

log = logging.getLogger(__name__)
# A running study's figures are kept again after this long (a reader folds in what changed since).
KEEP_EVERY_S = 60


def keep_figures(study_id):
    """Count a large study's tally afresh and read its importance as the page does (fitted unless
    the cache or the kept figures have it for these trials), and keep both.

    Returns:
        Whether figures were kept: not for a study gone or under `read.KEPT_FROM` trials, nor
        when another run kept a later count meanwhile.
    """
    study = Study.objects.filter(pk=study_id).first()
    if study is None or study.next_number < read.KEPT_FROM:
        return False
    found = importance.to_keep(study)
    # Afresh, not folded forward from a kept count: a copy that outlives the cache is never built on another.
    counted = read.recounted_tally(study, summary.tally_parts(study))
    fields = {"revision": counted.study_revision, "tally": tally.dumps(counted), "kept_at": db_now(),
              "importance": {} if found is None else {found[0]: {"key": found[1], "found": found[2]}}}
    # A run that counted an earlier revision never overwrites a later count.
    if StudyFigures.objects.filter(study=study, revision__lte=counted.study_revision).update(**fields):
        return True
    try:
        with transaction.atomic():
            StudyFigures.objects.create(study=study, **fields)
    except IntegrityError:  # kept meanwhile, at a later revision
        return False
    return True


def send_stale(now):
    """The reconciler's pass: send `keep_figures` for each study of `read.KEPT_FROM` trials or
    more whose figures were never kept, or lag its revision and were kept over `KEEP_EVERY_S`
    ago. Returns how many were sent."""
    lagging = Q(figures__isnull=True) | Q(figures__revision__lt=F("revision"),
                                          figures__kept_at__lt=now - timedelta(seconds=KEEP_EVERY_S))
    ids = list(Study.objects.filter(lagging, next_number__gte=read.KEPT_FROM).values_list("pk", flat=True))
    for study_id in ids:
        dispatch.send_on_commit(dispatch.KEEP_FIGURES, study_id)
    return len(ids)
