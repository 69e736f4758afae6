"""Re-checking a study's top trials: is the winner real?

Each of the `top_k` best trials is measured again `repeats` times with fresh noise, and the
engine (`engine.recheck`) turns the fresh values into a mean with a 95% interval per trial, the
robust best and a plain sentence.

- A built-in study's re-check is a job (see `jobs`): a worker cross-validates each trial's
  params on new folds (a new shuffle seed per repeat) and stores the values on the row.
- An external study's re-check is trials with the same params for the user's own code: origin
  "recheck", `Trial.rechecks` naming the trial measured again. They are handed out by ask even
  though the study has finished, and never count in its results or its sampler's history
  (`read._counted`). The row holds nothing for a worker: its state is read from those trials.
"""

from django.conf import settings

from studies import objectives
from studies.engine import estimate, ranked, verdict
from studies.models import Recheck, Study, Trial

from . import dispatch, jobs, read, scheduling
from .datasets import dataset_path
from .errors import Conflict
from .locks import locked_study

MAX_TOP_K = 20
MAX_REPEATS = 10
LOST = ("the worker stopped while re-checking the top trials (it may have run out of memory or time); "
        "ask for the re-check again to retry")
NO_VALUE = "No re-checked trial got a fresh value: every re-check trial failed."
NONE = {"state": "none", "top_k": 0, "repeats": 0, "error": "", "trials": [], "robust_best": None, "sentence": ""}


def request_recheck(study_id, user, top_k=5, repeats=3):
    """Re-check the study's `top_k` best trials, `repeats` times each.

    Args:
        study_id: The study.
        user: Who asked.
        top_k: How many of the best complete trials (1 to MAX_TOP_K); fewer when fewer are complete.
        repeats: How many fresh measurements of each (1 to MAX_REPEATS).

    Returns:
        The new `Recheck`.

    Raises:
        Conflict: A multi-objective study, a benchmark function (its value never changes), no
            complete trial yet, a re-check still under way, an external study still running
            (its re-check trials would take its budget), the study's trial cap, or a built-in
            re-check that would outlast the time limit of one job.
        Busy: A built-in study's task queue is unreachable; nothing is stored.
    """
    external = Study.objects.only("objective").get(pk=study_id).is_external
    if not external:
        dispatch.require_broker()  # before the lock: a built-in re-check is nothing without its message
    with locked_study(study_id) as study:
        _check_can_recheck(study)
        top = read.top_trials(study, top_k)
        if not top:
            raise Conflict("no complete trial to re-check yet")
        recheck = Recheck.objects.create(study=study, numbers=[row.number for row in top], repeats=repeats,
                                         requested_by=user)
        if external:
            _enqueue_repeats(study, recheck, top)
        else:
            _check_time(study, top, repeats)
            jobs.send(recheck, dispatch.RECHECK_TRIALS)
    return recheck


def _check_time(study, top, repeats):
    """Refuse up front a built-in re-check that would outlast the time limit of one job, judged
    by how long the trials' own folds took (trials without that time count as instant)."""
    details = Trial.objects.filter(pk__in=[row.pk for row in top]).values_list("details", flat=True)
    per_fold_s = sum((found or {}).get("fit_time_s") or 0 for found in details)
    needed_s = per_fold_s * int(study.objective.get("cv") or 5) * repeats
    # A margin, as a re-check's folds need not take exactly what the trial's did.
    limit_s = settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S * 0.8
    if needed_s > limit_s:
        raise Conflict(f"this re-check would take about {round(needed_s / 60)} minutes, longer than a worker may "
                       f"spend on one job ({round(limit_s / 60)} minutes): re-check fewer trials or fewer times")


def _check_can_recheck(study):
    if len(study.directions) != 1:
        raise Conflict("only a study with one objective can be re-checked")
    if study.objective.get("kind") == "function":
        raise Conflict("a benchmark function gives the same value every time: there is nothing to re-check")
    if study.is_external and study.state not in Study.FINISHED_STATES:
        raise Conflict(f"the study is {study.state}: re-check it once it has finished, "
                       "so the re-check trials do not take its budget")
    if _pending(study, read.latest_recheck(study)):
        raise Conflict("a re-check of this study is still under way; wait for it to finish")


def _enqueue_repeats(study, recheck, top):
    n_new = len(top) * recheck.repeats
    if study.next_number + n_new > settings.TUNER_MAX_TRIALS_PER_STUDY:
        raise Conflict(f"trial cap reached: a study holds at most {settings.TUNER_MAX_TRIALS_PER_STUDY} trials, "
                       f"and this re-check needs {n_new} more")
    runs = {}
    for row in top:
        runs[str(row.number)] = [
            scheduling.create_trial(study, row.params, Trial.State.WAITING, Trial.Origin.RECHECK,
                                    rechecks_id=row.pk).number
            for _ in range(recheck.repeats)
        ]
    # Nothing for a worker to do: the row is done once stored, the trials carry the rest.
    Recheck.objects.filter(pk=recheck.pk).update(state=Recheck.State.READY, runs=runs)


def recheck_trials(recheck_id):
    """The job (see `jobs`) that measures a built-in study's top trials again on new folds."""
    recheck = jobs.claim(Recheck, recheck_id, "study")
    if recheck is None:
        return None
    study = recheck.study
    params = dict(Trial.objects.filter(study=study, number__in=recheck.numbers).values_list("number", "params"))
    fresh, failed = jobs.guarded(recheck, lambda: _measure(study.objective, params, recheck), "re-checking the top trials")
    if failed:
        return failed
    return Recheck.State.READY if jobs.finish(recheck, fresh=fresh) else None


def _measure(objective, params, recheck):
    path = dataset_path(objective)
    # Seeds unique to this re-check and never 0, the seed of every trial's own folds.
    seeds = [recheck.pk * MAX_REPEATS + i + 1 for i in range(recheck.repeats)]
    return {str(number): [objectives.evaluate_details(objective, params[number], dataset_path=path,
                                                      cv_seed=seed).value for seed in seeds]
            for number in recheck.numbers}


def repair(now):
    """The reconciler's pass over re-checks: (resent, failed)."""
    return jobs.repair(Recheck, dispatch.RECHECK_TRIALS, now, LOST)


def recheck_of(study):
    """The study's latest re-check as the API and the page show it.

    Returns:
        {"state", "top_k", "repeats", "error", "trials": [{"number", "mean", "low", "high", "n"}],
        "robust_best", "sentence"}: state "none" when never asked; "running" until every fresh
        value is in (partial estimates meanwhile, for an external study); trials best mean first.
    """
    recheck = read.latest_recheck(study)
    if recheck is None:
        return dict(NONE)
    # An external study's row is stored ready: its state is its trials'.
    state = "running" if recheck.runs is not None and _pending(study, recheck) else recheck.state
    direction = study.directions[0]
    estimates = _estimates(study, recheck, direction)
    robust_best, sentence = (None, "")
    if state == Recheck.State.READY:
        robust_best, sentence = verdict(estimates, direction) if estimates else (None, NO_VALUE)
    return {"state": state, "top_k": len(recheck.numbers), "repeats": recheck.repeats, "error": recheck.error,
            "trials": [e.to_json() for e in estimates], "robust_best": robust_best, "sentence": sentence}


def _estimates(study, recheck, direction):
    """Each re-checked trial with a fresh value, best mean first (one with none is left out)."""
    fresh = _fresh_values(study, recheck)
    originals = read.trial_values(study, recheck.numbers)
    found = []
    for number in recheck.numbers:
        values = fresh.get(number) or []
        original = originals.get(number, (None, None))[1]
        if len(values) > 1 or (values and original is not None):
            found.append(estimate(number, original, values))
    return ranked(found, direction)


def _fresh_values(study, recheck):
    if recheck.runs is None:
        return {int(number): values for number, values in (recheck.fresh or {}).items()}
    outcomes = read.trial_values(study, [n for numbers in recheck.runs.values() for n in numbers])
    return {int(number): [outcomes[n][1] for n in numbers
                          if n in outcomes and outcomes[n][0] == Trial.State.COMPLETE and outcomes[n][1] is not None]
            for number, numbers in recheck.runs.items()}


def _pending(study, recheck):
    if recheck is None:
        return False
    if recheck.runs is None:
        return recheck.state in Recheck.PENDING_STATES
    return Trial.objects.filter(study=study, origin=Trial.Origin.RECHECK,
                                number__in=[n for numbers in recheck.runs.values() for n in numbers],
                                state__in=(Trial.State.WAITING, Trial.State.RUNNING)).exists()
