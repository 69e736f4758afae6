"""The leaderboard of a study: the best trial of each model family, best first."""

import math

from .automl import family_of

_SIGN = {"maximize": -1.0, "minimize": 1.0}


def build_leaderboard(trials, direction, estimator, ensemble=None, baseline=None):
    """Build the leaderboard from plain trial rows, JSON-ready.

    Each family's row is its best complete trial (the earliest among ties); families are
    ordered by that value, best first. Pruned, failed and running trials are left out,
    and so are families without a complete trial.

    Args:
        trials: Mappings with ``number``, ``params``, ``value``, ``state`` and
            ``details`` (what `TrialDetails.to_json` gave, or None for trials evaluated
            before details were stored), e.g. rows of a ``.values(...)`` query.
        direction: ``"maximize"`` or ``"minimize"``.
        estimator: The objective's ``estimator``: ``"auto"``, a list of names, or one
            name (then the board has one row).
        ensemble: Passed through as the ``ensemble`` entry (None when there is none).
        baseline: Passed through as the ``baseline`` entry.

    Returns:
        ``{"families": [{"estimator", "best_value", "cv_mean", "cv_std", "fit_time_s",
        "trial", "n_trials"}], "ensemble": ensemble, "baseline": baseline}``; ``trial`` is
        the best trial's number, ``n_trials`` the family's complete trials, and the
        ``cv_*`` and ``fit_time_s`` entries are None when the trial has no details.

    Raises:
        ValueError: An unknown direction.

    Example:
        >>> rows = [
        ...     {"number": 0, "params": {"estimator": "knn"}, "value": 0.9, "state": "complete", "details": None},
        ...     {"number": 1, "params": {"estimator": "svm"}, "value": 0.95, "state": "complete", "details": None},
        ... ]
        >>> [f["estimator"] for f in build_leaderboard(rows, "maximize", "auto")["families"]]
        ['svm', 'knn']
    """
    if direction not in _SIGN:
        raise ValueError(f"direction must be maximize or minimize, not {direction!r}")
    sign = _SIGN[direction]
    best, counts = {}, {}
    for row in sorted(trials, key=lambda r: r["number"]):
        family = family_of(row["params"] or {}, estimator)
        if row["state"] != "complete" or family is None or not _finite(row["value"]):
            continue
        counts[family] = counts.get(family, 0) + 1
        if family not in best or sign * row["value"] < sign * best[family]["value"]:
            best[family] = row
    ranked = sorted(best.items(), key=lambda item: (sign * item[1]["value"], item[1]["number"]))
    rows = [_family_row(family, row, counts[family]) for family, row in ranked]
    return {"families": rows, "ensemble": ensemble, "baseline": baseline}


def _family_row(family, row, n_trials):
    details = row.get("details") or {}
    return {
        "estimator": family,
        "best_value": row["value"],
        "cv_mean": details.get("cv_mean"),
        "cv_std": details.get("cv_std"),
        "fit_time_s": details.get("fit_time_s"),
        "trial": row["number"],
        "n_trials": n_trials,
    }


def _finite(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
