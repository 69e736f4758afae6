"""Limits on what a built-in trial measures besides its value: the trial's constraints.

An sklearn objective may carry limits, e.g.
``"constraints": [{"metric": "fit_time_s", "max": 2.0}, {"metric": "recall", "min": 0.8}]``.
Each is measured in the trial's own cross-validation (the mean over its folds) and becomes
one constraint value in Optuna's convention, feasible when <= 0: ``value - max`` or
``min - value``. The measured figures are recorded as the trial's metrics, under the
limit's metric name, so the user sees why a trial broke a limit.

What can be limited: ``fit_time_s`` (seconds to train the model on one fold),
``predict_time_s`` (seconds to predict one held-out fold), ``model_size_bytes`` (the fitted
model, pickled) and every scoring metric of the task, plus ``precision`` and ``recall``
for classification (of the positive class for two classes, the macro average otherwise,
as ``f1``).
"""

import math
import pickle
import time
from dataclasses import dataclass

import numpy as np
from sklearn import metrics as skm
from threadpoolctl import threadpool_limits

from .errors import ObjectiveError
from .metrics import METRICS, NEEDS_PROBA, metric_words, score

MAX_LIMITS = 10
# name -> (words, unit); a time or a size, never negative.
MEASURES = {
    "fit_time_s": ("fit time per fold", "seconds"),
    "predict_time_s": ("predict time per fold", "seconds"),
    "model_size_bytes": ("model size", "bytes"),
}
# Scores a limit may use that a study cannot optimise: name -> task.
LIMIT_SCORES = {"precision": "classification", "recall": "classification"}
_FIELD = "objective.constraints"


@dataclass(frozen=True)
class Limit:
    """One limit: ``metric`` at least ``min`` or at most ``max`` (exactly one is set)."""

    metric: str
    min: float | None = None
    max: float | None = None

    def constraint(self, measured):
        """The Optuna-convention constraint value of a measured figure: <= 0 when the limit holds."""
        return measured - self.max if self.max is not None else self.min - measured

    def words(self):
        """The limit in plain words: "fit time per fold at most 2 seconds", "recall at least 0.8"."""
        name, unit = limit_words(self.metric)
        number = _number(self.max if self.max is not None else self.min, unit)
        return f"{name} {'at most' if self.max is not None else 'at least'} {number}"


def limit_metrics(task=None):
    """The metric names a limit may use for a task (every task's when None), in a stable order."""
    scores = [name for name, (serves, _) in METRICS.items() if task in (None, serves)]
    extra = [name for name, serves in LIMIT_SCORES.items() if task in (None, serves)]
    return [*MEASURES, *scores, *extra]


def limit_words(metric):
    """``(name, unit)`` of a limit's metric for people: ("fit time per fold", "seconds"), ("recall", "")."""
    if metric in MEASURES:
        return MEASURES[metric]
    return metric_words(metric), ""


def validate_constraints(raw, task):
    """Check the limits of an sklearn objective spec and return them normalised.

    Args:
        raw: The spec's ``constraints``: a list of ``{"metric": ..., "min": ...}`` or
            ``{"metric": ..., "max": ...}`` objects.
        task: ``"classification"``, ``"regression"``, or None when not known yet (then
            only the names are checked; the task is checked when it is known).

    Returns:
        A new list of ``{"metric", "min"}`` / ``{"metric", "max"}`` dicts, numbers as floats.

    Raises:
        ObjectiveError: The first fault, its field ``objective.constraints[i].metric`` (or
            ``.min``, ``.max``, ``[i]``, or ``objective.constraints`` for the list itself).

    Example:
        >>> validate_constraints([{"metric": "recall", "min": 0.8}], "classification")
        [{'metric': 'recall', 'min': 0.8}]
    """
    if not isinstance(raw, list):
        raise ObjectiveError(_FIELD, 'must be a list of limits such as {"metric": "fit_time_s", "max": 2}')
    if len(raw) > MAX_LIMITS:
        raise ObjectiveError(_FIELD, f"at most {MAX_LIMITS} limits; got {len(raw)}")
    return [_limit(item, f"{_FIELD}[{i}]", task) for i, item in enumerate(raw)]


def _limit(item, field, task):
    if not isinstance(item, dict):
        raise ObjectiveError(field, 'must be an object such as {"metric": "recall", "min": 0.8}')
    for key in item:
        if key not in ("metric", "min", "max"):
            raise ObjectiveError(f"{field}.{key}", "unknown key for a limit; use metric and min or max")
    metric = _limit_metric(item.get("metric"), f"{field}.metric", task)
    bounds = [key for key in ("min", "max") if item.get(key) is not None]
    if not bounds:
        raise ObjectiveError(field, f"give the limit for {metric}: min (at least) or max (at most)")
    if len(bounds) > 1:
        raise ObjectiveError(field, f"give min (at least) or max (at most) for {metric}, not both")
    bound = bounds[0]
    value = item[bound]
    if value == "":
        raise ObjectiveError(f"{field}.{bound}", "the limit is empty; give a number")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ObjectiveError(f"{field}.{bound}", f"must be a finite number; got {value!r}")
    if metric in MEASURES and value < 0:
        raise ObjectiveError(f"{field}.{bound}", f"{limit_words(metric)[0]} is never negative; got {value!r}")
    return {"metric": metric, bound: float(value)}


def _limit_metric(metric, field, task):
    known = limit_metrics()
    if not isinstance(metric, str) or metric not in known:
        raise ObjectiveError(field, f"unknown metric {metric!r}; choose one of {', '.join(limit_metrics(task))}")
    serves = LIMIT_SCORES.get(metric) or METRICS.get(metric, (None,))[0]
    if task is not None and serves is not None and serves != task:
        raise ObjectiveError(field, f"{metric} is a {serves} metric but the task is {task}")
    return metric


def limits_of(spec):
    """The `Limit` objects of a validated sklearn spec (empty when it has none)."""
    return [Limit(**item) for item in spec.get("constraints") or ()]


def probability_metric(spec):
    """The metric the model must be built for: the spec's own, unless only a limit needs
    class probabilities (an svm is then calibrated, as for roc_auc or log_loss)."""
    if spec["metric"] in NEEDS_PROBA:
        return spec["metric"]
    return next((limit.metric for limit in limits_of(spec) if limit.metric in NEEDS_PROBA), spec["metric"])


def measure_fold(limits, model, X_test, y_test, fit_s):
    """Measure, on one fold, each figure the limits name.

    Args:
        limits: `Limit` objects (see `limits_of`).
        model: The fitted model (a Pipeline or anything with ``predict``), taking raw rows.
        X_test, y_test: The held-out fold.
        fit_s: The seconds its training took.

    Returns:
        ``{metric: figure}`` for each metric named by a limit.
    """
    measured = {}
    with threadpool_limits(limits=1):
        for name in dict.fromkeys(limit.metric for limit in limits):
            measured[name] = _measure(name, model, X_test, y_test, fit_s)
    return measured


def _measure(name, model, X_test, y_test, fit_s):
    if name == "fit_time_s":
        return float(fit_s)
    if name == "predict_time_s":
        start = time.perf_counter()
        model.predict(X_test)
        return time.perf_counter() - start
    if name == "model_size_bytes":
        # Pickling our own fitted model, to count its bytes; nothing is ever unpickled.
        return float(len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)))
    if name in LIMIT_SCORES:
        return _precision_or_recall(name, model.classes_, y_test, model.predict(X_test))
    return score(name, model, X_test, y_test)


def _precision_or_recall(name, classes, y, pred):
    scorer = skm.precision_score if name == "precision" else skm.recall_score
    if len(classes) == 2:
        return float(scorer(y, pred, pos_label=classes[1], zero_division=0))
    return float(scorer(y, pred, labels=classes, average="macro", zero_division=0))


def limit_outcome(limits, folds):
    """Turn the figures measured on each fold into the trial's metrics and constraints.

    Args:
        limits: `Limit` objects.
        folds: One `measure_fold` result per fold.

    Returns:
        ``(metrics, constraints)``: the mean figure over the folds for each metric, and one
        constraint value per limit, in the limits' order.

    Raises:
        ObjectiveError: A figure was not a finite number (a score undefined on a fold), on
            ``objective.constraints[i].metric``.
    """
    metrics = {name: float(np.mean([fold[name] for fold in folds])) for name in folds[0]}
    for i, limit in enumerate(limits):
        if not math.isfinite(metrics[limit.metric]):
            raise ObjectiveError(f"{_FIELD}[{i}].metric", f"{limit.metric} could not be measured on every fold")
    return metrics, [limit.constraint(metrics[limit.metric]) for limit in limits]


def _shown(x, unit):
    """``(number, unit)`` as people read them: a size in kB or MB (the wizard takes MB), a time
    to 3 significant digits (a time over a few folds varies in its second digit), a score as is."""
    if unit == "bytes":
        return (float(f"{x / 1e6:.3g}"), "MB") if x >= 1e6 else (float(f"{x / 1e3:.3g}"), "kB")
    if unit == "seconds":
        return float(f"{x:.3g}"), unit
    return x, unit


def _number(x, unit):
    number, unit = _shown(x, unit)
    return f"{number:g}{f' {unit}' if unit else ''}"


def limit_sentences(spec):
    """The limits of an objective spec in words, in order ("recall at least 0.8"); empty when
    it has none (benchmark functions and external objectives included)."""
    if not isinstance(spec, dict) or spec.get("kind") != "sklearn":
        return []
    return [limit.words() for limit in limits_of(spec)]


def describe_constraints(spec, constraints, metrics):
    """A trial's constraints as the pages explain them: one row per constraint value.

    Args:
        spec: The study's objective spec (as stored).
        constraints: The trial's constraint values.
        metrics: The trial's metrics (where the measured figures are).

    Returns:
        A list of ``{"label", "value", "unit", "broken"}``: for a limit of an sklearn
        objective, the limit in words ("fit time per fold at most 2 seconds"), the measured
        figure and its unit ("seconds", "kB" or "MB" for a size, "" for a score); otherwise "constraint 1",
        "constraint 2"... and the constraint value, with no unit.
    """
    limits = limits_of(spec) if isinstance(spec, dict) and spec.get("kind") == "sklearn" else []
    rows = []
    for i, value in enumerate(constraints or ()):
        limit = limits[i] if len(limits) == len(constraints) else None
        measured = (metrics or {}).get(limit.metric) if limit is not None else None
        if measured is None:
            rows.append({"label": f"constraint {i + 1}", "value": value, "unit": "", "broken": value > 0})
        else:
            shown, unit = _shown(measured, limit_words(limit.metric)[1])
            rows.append({"label": limit.words(), "value": shown, "unit": unit, "broken": value > 0})
    return rows
