"""Scoring metrics: which task each serves, which way is better, and how to score a fold."""

from sklearn import metrics as skm

from .errors import ObjectiveError

# name -> (task, direction)
METRICS = {
    "accuracy": ("classification", "maximize"),
    "balanced_accuracy": ("classification", "maximize"),
    "f1": ("classification", "maximize"),
    "roc_auc": ("classification", "maximize"),
    "log_loss": ("classification", "minimize"),
    "r2": ("regression", "maximize"),
    "rmse": ("regression", "minimize"),
    "mae": ("regression", "minimize"),
}
DEFAULT_METRIC = {"classification": "accuracy", "regression": "r2"}
NEEDS_PROBA = frozenset({"roc_auc", "log_loss"})


def metric_direction(metric):
    """Return which way a metric improves.

    Args:
        metric: A metric name, e.g. ``"accuracy"`` or ``"rmse"``.

    Returns:
        ``"maximize"`` or ``"minimize"``.

    Raises:
        ObjectiveError: The metric is unknown (field ``objective.metric``).

    Example:
        >>> metric_direction("rmse")
        'minimize'
    """
    return _lookup(metric)[1]


def metric_task(metric):
    """Return the task a metric serves: ``"classification"`` or ``"regression"``.

    Raises:
        ObjectiveError: The metric is unknown (field ``objective.metric``).
    """
    return _lookup(metric)[0]


def score(metric, model, X, y):
    """Score a fitted model on one held-out fold, in the metric's natural sign.

    ``f1`` is the F1 of the positive class for binary tasks (the later label in sorted
    order, as scikit-learn's ``classes_[1]``, which ``roc_auc`` also uses) and the
    macro average over classes otherwise; ``roc_auc`` is one-vs-rest macro for more than
    two classes. ``rmse``, ``mae`` and ``log_loss`` are positive (smaller is better).

    Args:
        metric: A metric name from `METRICS`.
        model: A fitted classifier or regressor (a Pipeline is fine).
        X: Features of the held-out fold.
        y: True targets of the held-out fold.

    Returns:
        The score as a float.
    """
    if metric in NEEDS_PROBA:
        return float(_score_proba(metric, model, X, y))
    return float(_score_predictions(metric, model, model.predict(X), y))


def _score_predictions(metric, model, pred, y):
    if metric == "accuracy":
        return skm.accuracy_score(y, pred)
    if metric == "balanced_accuracy":
        return skm.balanced_accuracy_score(y, pred)
    if metric == "f1":
        return _f1(model.classes_, y, pred)
    if metric == "r2":
        return skm.r2_score(y, pred)
    if metric == "rmse":
        return skm.root_mean_squared_error(y, pred)
    return skm.mean_absolute_error(y, pred)


def _f1(classes, y, pred):
    if len(classes) == 2:
        return skm.f1_score(y, pred, pos_label=classes[1], zero_division=0)
    return skm.f1_score(y, pred, labels=classes, average="macro", zero_division=0)


def _score_proba(metric, model, X, y):
    proba = model.predict_proba(X)
    classes = model.classes_
    if metric == "log_loss":
        return skm.log_loss(y, proba, labels=classes)
    if len(classes) == 2:
        return skm.roc_auc_score(y == classes[1], proba[:, 1])
    return skm.roc_auc_score(y, proba, multi_class="ovr", labels=classes)


def _lookup(metric):
    if not isinstance(metric, str) or metric not in METRICS:
        known = ", ".join(METRICS)
        raise ObjectiveError("objective.metric", f"unknown metric {metric!r}; choose one of {known}")
    return METRICS[metric]
