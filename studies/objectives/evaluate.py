"""Running one trial of a built-in objective: cross-validation or a benchmark function."""

import dataclasses
import time
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

from .automl import trial_estimator
from .constraints import limit_outcome, limits_of, measure_fold, probability_metric
from .details import TrialDetails
from .errors import EvaluationStopped, ObjectiveError
from .estimators import ESTIMATORS, check_fold, make_estimator, param_error
from .functions import evaluate_function, function_constraints
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
            for an objective whose estimator is ``"auto"`` or a list, ``estimator`` (the
            family) and that family's params named ``<family>__<param>`` (see
            ``automl``), and the chosen family is built with its own params; for
            functions, numbers taken in sorted name order as x1..xn.
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
    return evaluate_details(spec, params, report, dataset_path, should_stop).value


def evaluate_details(spec, params, report=None, dataset_path=None, should_stop=None, cv_seed=0):
    """Evaluate an objective at one set of params, and say how the value came about.

    The same evaluation as `evaluate` (same folds, same reports, same errors), which
    returns this result's ``value``.

    Args:
        spec, params, report, dataset_path, should_stop: As for `evaluate`.
        cv_seed: The seed of the folds' shuffle. Every trial uses 0, so trials compare on the
            same folds; a re-check (`services.rechecks`) measures a trial again on new folds.

    Returns:
        A `TrialDetails`: the value, the score of each CV fold, their mean and standard
        deviation, and the mean time to train and score one fold; with the figures the
        spec's limits measured and their constraint values (see `constraints`), or a
        constrained benchmark's constraints. Its ``tell_fields()`` is what a worker tells.

    Raises:
        ObjectiveError, EvaluationStopped, ValueError: As for `evaluate`.

    Example:
        >>> spec = {"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes", "cv": 3}
        >>> details = evaluate_details(spec, {"alpha": 1.0})
        >>> len(details.fold_scores), details.cv_mean == details.value
        (3, True)
    """
    spec = validate_objective(spec)
    if spec["kind"] == "function":
        start = time.perf_counter()
        value = evaluate_function(spec["name"], params)
        constraints = function_constraints(spec["name"], params)
        return TrialDetails(value, None, None, (), time.perf_counter() - start,
                            constraints=tuple(constraints) if constraints is not None else None)
    if spec["kind"] == "external":
        raise ObjectiveError("objective.kind", "external objectives are evaluated by a client, not a worker")
    return _cross_validate(spec, params, report, dataset_path, should_stop, cv_seed)


def _cross_validate(spec, params, report, dataset_path, should_stop, cv_seed=0):
    X, y, kinds, task = load_data(spec, dataset_path)
    spec = validate_objective(spec, task=task)
    # A limit on roc_auc or log_loss needs probabilities even when the study's metric does not.
    built_for = probability_metric(spec)
    model = trial_pipeline(spec, params, kinds, built_for)
    name, params = trial_estimator(spec, params)
    metric = spec["metric"]
    limits = limits_of(spec)
    folds = list(cv_folds(task, y, spec["cv"], cv_seed))
    measured = []

    def measure(fitted, test, fit_s):
        measured.append(measure_fold(limits, fitted, X[test], y[test], fit_s))

    start = time.perf_counter()
    if name in STAGED:
        for train, _ in folds:
            check_fold(name, params, built_for, y[train])
        scores = staged_cross_validate(name, model, metric, X, y, folds, report, should_stop,
                                       measure if limits else None)
        return _with_limits(TrialDetails.from_scores(scores, (time.perf_counter() - start) / len(folds)),
                            limits, measured)
    scores = []
    for step, (train, test) in enumerate(folds):
        if should_stop is not None and should_stop():
            raise EvaluationStopped(step)
        check_fold(name, params, built_for, y[train])
        fit_start = time.perf_counter()
        fitted = fit_quietly(model, X[train], y[train])
        fit_s = time.perf_counter() - fit_start
        scores.append(_score(metric, fitted, X[test], y[test]))
        if limits:
            measure(fitted, test, fit_s)
        if report is not None:
            report(step, float(np.mean(scores)))
    return _with_limits(TrialDetails.from_scores(scores, (time.perf_counter() - start) / len(folds)),
                        limits, measured)


def _with_limits(details, limits, measured):
    if not limits:
        return details
    metrics, constraints = limit_outcome(limits, measured)
    return dataclasses.replace(details, metrics=metrics, constraints=tuple(constraints))


def trial_pipeline(spec, params, kinds, metric=None):
    """Build the unfitted model of one trial: the preprocessing, then the trial's estimator.

    What every fold of `evaluate` fits, and what a refit on the whole data should fit.

    Args:
        spec: A validated sklearn objective spec whose ``task`` is known.
        params: The trial's params, as stored (auto trials with ``estimator`` and
            ``<family>__<param>`` names).
        kinds: ``"numeric"``, ``"date"`` or ``"categorical"`` for each column of X.
        metric: The metric the model is built for (svm is calibrated for metrics that
            need probabilities); the spec's metric when None.

    Returns:
        An unfitted ``Pipeline`` with steps ``"prepare"`` and ``"model"``.

    Raises:
        ObjectiveError: Bad params (see `automl.trial_estimator` and
            `estimators.make_estimator`).
    """
    name, own = trial_estimator(spec, params)
    model = make_estimator(name, spec["task"], own, metric or spec["metric"])
    return build_pipeline(model, kinds, ESTIMATORS[name].scaled)


def load_data(spec, dataset_path):
    """Load the dataset of a validated sklearn spec, as `tables.load_table` does for every reader
    (rows without a target left out, excluded columns dropped).

    Returns:
        ``(X, y, kinds, task)``: features, target, one kind per feature column
        (``"numeric"``, ``"date"`` or ``"categorical"``) and the task.

    Raises:
        ObjectiveError: A CSV fault, with its field.
        ValueError: ``dataset_path`` is missing for a CSV dataset.
    """
    table = load_table(spec, dataset_path)
    return table.X, table.y, list(table.kinds.values()), table.task


def cv_folds(task, y, cv, seed=0):
    """The cross-validation folds every reader of a study uses: trials, baselines, ensembles and
    explanations compare on the same rows.

    Args:
        task: ``"classification"`` (stratified) or ``"regression"``.
        y: The target.
        cv: The number of folds.
        seed: The shuffle's ``random_state``; 0, the same for every reader, unless a re-check
            asks for new folds.

    Returns:
        An iterator of ``(train, test)`` index arrays, shuffled with ``random_state=seed``.

    Raises:
        ObjectiveError: Too few rows (or rows of a class) for the folds, on ``objective.cv``.
    """
    fault = folds_fault(task, cv, len(y), Counter(y.tolist()) if task == "classification" else None)
    if fault:
        raise ObjectiveError("objective.cv", fault)
    if task == "regression":
        return KFold(n_splits=cv, shuffle=True, random_state=seed).split(np.zeros(len(y)))
    return StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed).split(np.zeros(len(y)), y)


def folds_fault(task, cv, n_rows, class_rows=None):
    """Why the rows cannot be split into ``cv`` folds, or None when they can.

    Every fold of a classification needs a row of every class, so the rarest class sets the
    limit; a study is checked when it is created, so its trials never all fail for this.

    Args:
        task: ``"classification"`` or ``"regression"``.
        cv: The number of folds.
        n_rows: Rows with a target.
        class_rows: For classification, rows per class label.

    Returns:
        A sentence for field ``objective.cv``, or None.
    """
    if task == "classification" and class_rows:
        label, rows = min(class_rows.items(), key=lambda item: item[1])
        if rows < cv:
            return (f"class {label!r} has only {rows} {'row' if rows == 1 else 'rows'}, fewer than the {cv} "
                    "folds (every fold needs one); lower cv or add rows of that class")
    elif n_rows < cv:
        return f"{n_rows} {'row' if n_rows == 1 else 'rows'} cannot be split into {cv} folds; lower cv or add rows"
    return None


def _fit_and_score(model, metric, X, y, train, test):
    return _score(metric, fit_quietly(model, X[train], y[train]), X[test], y[test])


def _score(metric, fitted, X, y):
    with threadpool_limits(limits=1):
        return score(metric, fitted, X, y)


def fit_quietly(model, X, y):
    """Fit a clone of a model on one thread, without convergence warnings.

    One thread for BLAS and OpenMP (hist_gradient_boosting, numpy): the workers are the
    parallelism. Trials run with modest iteration caps on purpose, so a convergence
    warning per fold is only noise.

    Args:
        model: An unfitted scikit-learn estimator (left unchanged).
        X, y: The rows to fit on.

    Returns:
        The fitted clone.

    Raises:
        ObjectiveError: A param value scikit-learn refuses (field ``params.<name>``).
    """
    fitted = clone(model)
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            return fitted.fit(X, y)
        except InvalidParameterError as exc:
            raise param_error(exc) from exc
