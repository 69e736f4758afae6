"""The score of a guess that ignores every column: the bar a study's best model must clear.

The same cross-validation as the trials (same folds, ``random_state=0``), with scikit-learn's
`DummyClassifier` / `DummyRegressor`. Per metric, the strategy is the honest constant guess,
the best a guess without the columns can do that a person would call "always answering X":

- accuracy: ``most_frequent`` (always the common class; scores its share of the rows).
- balanced_accuracy: ``most_frequent`` (scores exactly 1/k for k classes; ``stratified``
  has the same expected score but adds noise to it).
- f1: ``stratified`` (random answers in the data's proportions; expected F1 of the class of
  interest equals its share of the rows). ``most_frequent`` would score 0 whenever the
  class of interest is the rare one, as it usually is (churn, fraud), which says nothing;
  and it would score high whenever that class is the common one, which flatters the guess.
- roc_auc: ``prior`` (the same probabilities for every row: ranks nothing, scores 0.5).
- log_loss: ``prior`` (the class shares as probabilities: the best constant probabilities).
- r2, rmse: ``mean`` (the constant with the least squared error; R² near 0).
- mae: ``median`` (the constant with the least absolute error).

It ignores X, so it costs one pass over the target per fold: milliseconds even on a
million rows, beside reading the file.
"""

import numpy as np
from sklearn.dummy import DummyClassifier, DummyRegressor

from .errors import ObjectiveError
# The trials' folds; private in evaluate, imported rather than copied so both always agree.
from .evaluate import cv_folds
from .metrics import METRICS, metric_task, score
from .tables import load_table

STRATEGIES = {
    "accuracy": "most_frequent",
    "balanced_accuracy": "most_frequent",
    "f1": "stratified",
    "roc_auc": "prior",
    "log_loss": "prior",
    "r2": "mean",
    "rmse": "mean",
    "mae": "median",
}


def compute_baseline(y, task, metric, cv=5):
    """Cross-validate the constant guess for one metric.

    Args:
        y: The target, as the trials see it (see `tables.load_table`).
        task: ``"classification"`` or ``"regression"``.
        metric: A metric name of that task.
        cv: Number of folds, as in the objective spec.

    Returns:
        ``{"value", "cv_std", "strategy"}``: the mean score over the folds in the metric's
        natural sign, its standard deviation over the folds, and the Dummy strategy.

    Raises:
        ObjectiveError: The metric does not fit the task, or a class has fewer rows than
            folds (fields ``objective.metric``, ``objective.cv``).

    Example:
        >>> compute_baseline(np.array([0, 0, 0, 1] * 5), "classification", "accuracy")
        {'value': 0.75, 'cv_std': 0.0, 'strategy': 'most_frequent'}
    """
    if metric_task(metric) != task:
        raise ObjectiveError("objective.metric", f"{metric} is a {metric_task(metric)} metric but the task is {task}")
    strategy = STRATEGIES[metric]
    X = np.zeros((len(y), 1))
    scores = []
    for train, test in cv_folds(task, y, cv):
        guess = _dummy(task, strategy).fit(X[train], y[train])
        scores.append(score(metric, guess, X[test], y[test]))
    return {"value": float(np.mean(scores)), "cv_std": float(np.std(scores)), "strategy": strategy}


def compute_baselines(y, task, cv=5):
    """Cross-validate the constant guess for every metric of the task.

    The baseline depends on the dataset, the target and the folds only, so one call per
    dataset and target gives the bar for whatever metric a study picks.

    Returns:
        Metric name -> the dict `compute_baseline` returns.
    """
    return {metric: compute_baseline(y, task, metric, cv) for metric, (of, _) in METRICS.items() if of == task}


def baseline_for(spec, dataset_path=None):
    """Cross-validate the constant guess for a validated sklearn objective spec.

    Args:
        spec: A spec normalised by `validate_objective`, with its metric known.
        dataset_path: Path of the uploaded file, required for ``csv:`` datasets.

    Returns:
        The dict `compute_baseline` returns.

    Raises:
        ObjectiveError: A bad file or target, or folds that cannot be made.
    """
    table = load_table(spec, dataset_path)
    return compute_baseline(table.y, table.task, spec["metric"], spec["cv"])


def _dummy(task, strategy):
    if task == "regression":
        return DummyRegressor(strategy=strategy)
    return DummyClassifier(strategy=strategy, random_state=0)
