"""Running one trial of a built-in objective: cross-validation or a benchmark function."""

import warnings
from collections import Counter

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, StratifiedKFold

# Private module, but the class has been public in behaviour since scikit-learn 1.2 and is
# the only way to tell a bad param value from a bug of ours.
from sklearn.utils._param_validation import InvalidParameterError
from threadpoolctl import threadpool_limits

from .errors import EvaluationStopped, ObjectiveError
from .estimators import ESTIMATORS, check_fold, make_estimator, param_error
from .functions import evaluate_function
from .metrics import score
from .pipeline import build_pipeline
from .spec import validate_objective
from .staged import STAGED, staged_cross_validate
from .tables import load_table


def evaluate(spec, params, report=None, dataset_path=None, should_stop=None):
    """Evaluate an objective at one set of params.

    For sklearn objectives this is a shuffled K-fold cross-validation (stratified for
    classification, ``random_state=0`` so every trial sees the same folds); for benchmark
    functions it is one function value.

    Args:
        spec: An objective spec (validated here).
        params: The trial's params. For sklearn, constructor arguments of the estimator;
            for functions, numbers taken in sorted name order as x1..xn.
        report: Called as ``report(step, value)`` while the evaluation runs. Iterative
            estimators (hist_gradient_boosting, mlp, logistic_regression, elastic_net)
            train all folds in stages and report after each one, ``step`` being the
            iterations or epochs done so far and ``value`` the mean score over the folds
            at that point (see ``staged``). Other estimators report after each fold with
            the running mean score, ``step`` counting folds from 0. Whatever it raises
            propagates, which is how the caller prunes. Not called for functions.
        dataset_path: Path of the uploaded file, required for ``csv:`` datasets.
        should_stop: Called before each fold (each stage for iterative estimators); when
            it returns true the evaluation stops by raising `EvaluationStopped`.

    Returns:
        The mean score in the metric's natural sign (rmse, mae and log_loss positive, to
        be minimised), or the function value.

    Raises:
        ObjectiveError: A fault the user must fix: a bad spec, bad params, a CSV fault
            (field ``objective.dataset`` or ``objective.target``), or too few rows of a
            class for the number of folds (field ``objective.cv``). External objectives
            always raise it: a client evaluates them.
        EvaluationStopped: ``should_stop`` returned true.
        ValueError: ``dataset_path`` is missing for a CSV dataset.
    """
    spec = validate_objective(spec)
    if spec["kind"] == "function":
        return evaluate_function(spec["name"], params)
    if spec["kind"] == "external":
        raise ObjectiveError("objective.kind", "external objectives are evaluated by a client, not a worker")
    return _cross_validate(spec, params, report, dataset_path, should_stop)


def _cross_validate(spec, params, report, dataset_path, should_stop):
    X, y, kinds, task = load_data(spec, dataset_path)
    spec = validate_objective(spec, task=task)
    name, metric = spec["estimator"], spec["metric"]
    model = build_pipeline(make_estimator(name, task, params, metric), kinds, ESTIMATORS[name].scaled)
    if name in STAGED:
        folds = list(_folds(task, y, spec["cv"]))
        for train, _ in folds:
            check_fold(name, params, metric, y[train])
        return staged_cross_validate(name, model, metric, X, y, folds, report, should_stop)
    scores = []
    for step, (train, test) in enumerate(_folds(task, y, spec["cv"])):
        if should_stop is not None and should_stop():
            raise EvaluationStopped(step)
        check_fold(name, params, metric, y[train])
        scores.append(_fit_and_score(model, metric, X, y, train, test))
        if report is not None:
            report(step, float(np.mean(scores)))
    return float(np.mean(scores))


def load_data(spec, dataset_path):
    """Load the dataset of a validated sklearn spec, as `tables.load_table` does for every reader
    (rows without a target left out, excluded columns dropped).

    Returns:
        ``(X, y, kinds, task)``: features, target, one kind per feature column
        (``"numeric"`` or ``"categorical"``) and the task.

    Raises:
        ObjectiveError: A CSV fault, with its field.
        ValueError: ``dataset_path`` is missing for a CSV dataset.
    """
    table = load_table(spec, dataset_path)
    return table.X, table.y, list(table.kinds.values()), table.task


def _folds(task, y, cv):
    if task == "regression":
        if len(y) < cv:
            raise ObjectiveError("objective.cv", f"{len(y)} rows cannot be split into {cv} folds")
        return KFold(n_splits=cv, shuffle=True, random_state=0).split(np.zeros(len(y)))
    label, n_rows = min(Counter(y.tolist()).items(), key=lambda item: item[1])
    if n_rows < cv:
        raise ObjectiveError(
            "objective.cv",
            f"class {label!r} has only {n_rows} rows, fewer than the {cv} folds; "
            "lower cv or add rows of that class",
        )
    return StratifiedKFold(n_splits=cv, shuffle=True, random_state=0).split(np.zeros(len(y)), y)


def _fit_and_score(model, metric, X, y, train, test):
    fold_model = clone(model)
    # One thread for BLAS and OpenMP (hist_gradient_boosting, numpy): the workers are the
    # parallelism. Trials run with modest iteration caps on purpose, so a convergence
    # warning per fold is only noise.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            fold_model.fit(X[train], y[train])
        except InvalidParameterError as exc:
            raise param_error(exc) from exc
        return score(metric, fold_model, X[test], y[test])
