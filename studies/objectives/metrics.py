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
# Each metric as it reads inside a sentence ("right for 77 of 100 rows (balanced accuracy 0.77)").
METRIC_WORDS = {
    "accuracy": "accuracy", "balanced_accuracy": "balanced accuracy", "f1": "F1 score", "roc_auc": "ROC AUC",
    "log_loss": "log loss", "r2": "R²", "rmse": "root mean squared error", "mae": "mean absolute error",
}
# What each metric measures, in a sentence for someone who has never met it: the wizard shows it
# under the metric a person picks (the proposed one shows why it was proposed instead).
METRIC_MEANINGS = {
    "accuracy": "Accuracy is the share of rows the model gets right: 0.9 means 9 rows in 10.",
    "balanced_accuracy": ("Balanced accuracy is the share of rows got right within each class, averaged over the "
                          "classes, so a rare class counts as much as a common one."),
    "f1": ("F1 score weighs how many of the rows the model picks out are right against how many of the right rows "
           "it finds (for the later answer in sorted order, or averaged over the classes when there are more than "
           "two): 1 is perfect."),
    "roc_auc": ("ROC AUC is the chance that the model ranks a row of one answer above a row of the other: 0.5 is "
                "guessing and 1 is perfect. It judges the model's confidence, not only its answers."),
    "log_loss": ("Log loss judges the model's confidence: it grows fast when the model is sure and wrong. 0 is "
                 "perfect; lower is better."),
    "r2": ("R² says how much of the ups and downs of the target the model explains: 1 is perfect and 0 is no "
           "better than always predicting the average."),
    "rmse": ("Root mean squared error is the typical size of the model's miss, in the target's own units, with "
             "large misses counting extra; lower is better."),
    "mae": "Mean absolute error is the average size of the model's miss, in the target's own units; lower is better.",
}
DEFAULT_METRIC = {"classification": "accuracy", "regression": "r2"}
NEEDS_PROBA = frozenset({"roc_auc", "log_loss"})


def metric_words(metric, capital=False):
    """A metric's name for people: ``"balanced_accuracy"`` -> "balanced accuracy" ("Balanced accuracy"
    with `capital`); an unknown name is returned as it is."""
    words = METRIC_WORDS.get(metric, metric)
    return words[:1].upper() + words[1:] if capital and words else words


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


# When the most common class holds this share of the rows or more, accuracy is a poor
# default: always answering that class already scores it, leaving a sliver of the scale
# for real skill. 80% is the figure and the usual line for an imbalanced table
# (4 to 1), where fraud, churn and failure tables sit; below it the accuracy sentence
# beside the baseline ("always answering 'no' is right for 62") still reads honestly.
IMBALANCED_SHARE = 0.8


def default_metric(task, class_counts=None):
    """Choose the metric a study scores by default, with the reason in one plain sentence.

    For classification with the most common class at `IMBALANCED_SHARE` of the rows or
    more, balanced accuracy: the mean of the share of rows got right in each class, so
    always answering the common class scores 1/k (0.5 with two classes), whatever the
    imbalance. It needs no class probabilities, so every estimator can be scored by it,
    and it works the same for two classes or more (ROC AUC needs probabilities and turns
    into an average of one-against-the-rest scores beyond two classes, which is harder
    to put in words). Otherwise accuracy for classification and R² for regression.

    Args:
        task: ``"classification"`` or ``"regression"``.
        class_counts: Class label -> number of rows (classification only).

    Returns:
        ``(metric, reason)``.

    Example:
        >>> default_metric("classification", {"no": 82, "yes": 18})[0]
        'balanced_accuracy'
    """
    if task == "regression":
        return "r2", METRIC_MEANINGS["r2"]
    label, n_rows = max(class_counts.items(), key=lambda item: item[1])
    share = n_rows / sum(class_counts.values())
    if share >= IMBALANCED_SHARE:
        percent = "over 99%" if 0.99 < share < 1 else f"{share:.0%}"
        return "balanced_accuracy", (
            f"{percent} of rows are '{label}', so a model that always answers '{label}' would score "
            f"{percent} accuracy; balanced accuracy gives each class equal weight, so it cannot be fooled that way."
        )
    return "accuracy", "Accuracy is the share of rows the model gets right; no class is rare enough to make it misleading."
