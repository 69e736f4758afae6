"""An ensemble of a study's best trials: chosen, cross-validated on the trials' folds, refitted.

The ensemble averages its members: soft voting (the mean of the class probabilities)
for classifiers, the mean prediction for regressors; each member keeps its own
preprocessing, so a scaled model and a tree ensemble can vote together. It is offered as
the study's result only when `ensemble_beats` says it beats the best single trial.
"""

import time

import numpy as np
from sklearn.ensemble import VotingClassifier, VotingRegressor

from .automl import family_of, trial_estimator
from .details import TrialDetails
from .errors import EvaluationStopped, ObjectiveError
from .estimators import check_fold

# The private helpers are the point: the ensemble must see exactly the trials' data and folds.
from .evaluate import _fit_and_score, cv_folds, fit_quietly, load_data, trial_pipeline
from .metrics import NEEDS_PROBA
from .spec import validate_objective

N_MEMBERS = 3
_SIGN = {"maximize": 1.0, "minimize": -1.0}
# Soft voting needs every member's probabilities; asking for them as a probability
# metric does is what makes make_estimator calibrate svm.
_PROBA_METRIC = "log_loss"


def ensemble_members(trials, direction, estimator, n_members=N_MEMBERS):
    """Choose the trials an ensemble averages: the best trial of each of the best families.

    Args:
        trials: Mappings with ``number``, ``params``, ``value`` and ``state`` (as for
            `leaderboard.build_leaderboard`).
        direction: ``"maximize"`` or ``"minimize"``.
        estimator: The objective's ``estimator``.
        n_members: At most this many members.

    Returns:
        The members' trial numbers, best first: the best complete trial of each family,
        for the ``n_members`` best families. Empty when fewer than two families have a
        complete trial: one family's best trials are too alike to gain by averaging.

    Raises:
        KeyError: A direction other than ``"maximize"`` or ``"minimize"``.
    """
    sign = _SIGN[direction]
    best = {}
    for row in sorted(trials, key=lambda r: r["number"]):
        family = family_of(row["params"] or {}, estimator)
        if row["state"] != "complete" or family is None or not np.isfinite(row["value"]):
            continue
        if family not in best or sign * row["value"] > sign * best[family]["value"]:
            best[family] = row
    ranked = sorted(best.values(), key=lambda row: (-sign * row["value"], row["number"]))
    numbers = [row["number"] for row in ranked[:n_members]]
    return numbers if len(numbers) >= 2 else []


def evaluate_ensemble(spec, trial_params_list, dataset_path=None, should_stop=None):
    """Cross-validate the ensemble of some trials, on the same folds as every trial.

    Args:
        spec: The study's sklearn objective spec (validated here).
        trial_params_list: The members' params, each as the trial stored them.
        dataset_path: Path of the uploaded file, required for ``csv:`` datasets.
        should_stop: Called before each fold; when it returns true the evaluation stops
            by raising `EvaluationStopped`.

    Returns:
        A `TrialDetails` comparable with the trials' own (same folds, same metric).

    Raises:
        ObjectiveError: A bad spec or params, or fewer than two members (field
            ``ensemble``).
        EvaluationStopped: ``should_stop`` returned true.
        ValueError: ``dataset_path`` is missing for a CSV dataset.
    """
    X, y, kinds, task, spec = _prepared(spec, dataset_path)
    members = _members(spec, trial_params_list)
    model = _ensemble(spec, trial_params_list, kinds)
    folds = list(cv_folds(task, y, spec["cv"]))
    start = time.perf_counter()
    scores = []
    for step, (train, test) in enumerate(folds):
        if should_stop is not None and should_stop():
            raise EvaluationStopped(step)
        for name, params in members:
            check_fold(name, params, _member_metric(spec), y[train])
        scores.append(_fit_and_score(model, spec["metric"], X, y, train, test))
    return TrialDetails.from_scores(scores, (time.perf_counter() - start) / len(folds))


def fit_ensemble(spec, trial_params_list, dataset_path=None):
    """Fit the ensemble of some trials on the whole dataset, for export and prediction.

    Args:
        spec: The study's sklearn objective spec (validated here).
        trial_params_list: The members' params, each as the trial stored them.
        dataset_path: Path of the uploaded file, required for ``csv:`` datasets.

    Returns:
        A fitted ``VotingClassifier`` (soft voting) or ``VotingRegressor`` whose members
        are pipelines with steps ``"prepare"`` and ``"model"``; ``predict`` (and
        ``predict_proba`` for classifiers) take rows laid out as ``load_csv`` gives them.

    Raises:
        ObjectiveError, ValueError: As `evaluate_ensemble`.
    """
    X, y, kinds, _, spec = _prepared(spec, dataset_path)
    members = _members(spec, trial_params_list)
    for name, params in members:
        check_fold(name, params, _member_metric(spec), y)
    return fit_quietly(_ensemble(spec, trial_params_list, kinds), X, y)


def ensemble_beats(ensemble_scores, best_scores, direction):
    """Whether the ensemble should be offered instead of the best single trial.

    The rule is the one-standard-error rule (Breiman et al., CART, 1984), applied to the
    paired fold differences: the ensemble is the more complex model (several models to
    fit, export and run), so it is preferred only when its mean gain over the best trial,
    fold by fold on the same folds, is larger than the standard error of that gain.
    A gain within the noise of the folds does not pay for the complexity.

    Args:
        ensemble_scores: The ensemble's fold scores (`TrialDetails.fold_scores`).
        best_scores: The best trial's fold scores, on the same folds.
        direction: ``"maximize"`` or ``"minimize"``.

    Returns:
        True when the mean gain exceeds its standard error.

    Raises:
        ValueError: The score lists differ in length or have fewer than two folds.

    Example:
        >>> ensemble_beats([0.91, 0.93, 0.92], [0.90, 0.92, 0.91], "maximize")
        True
    """
    ensemble_scores, best_scores = np.asarray(ensemble_scores, float), np.asarray(best_scores, float)
    if ensemble_scores.shape != best_scores.shape or ensemble_scores.size < 2:
        raise ValueError("need the fold scores of both models, on the same two or more folds")
    gains = _SIGN[direction] * (ensemble_scores - best_scores)
    standard_error = gains.std(ddof=1) / np.sqrt(gains.size)
    return bool(gains.mean() > standard_error)


def _prepared(spec, dataset_path):
    spec = validate_objective(spec)
    if spec["kind"] != "sklearn":
        raise ObjectiveError("objective.kind", "only scikit-learn objectives have models to ensemble")
    X, y, kinds, task = load_data(spec, dataset_path)
    return X, y, kinds, task, validate_objective(spec, task=task)


def _members(spec, trial_params_list):
    members = [trial_estimator(spec, params) for params in trial_params_list]
    if len(members) < 2:
        raise ObjectiveError("ensemble", f"an ensemble needs two or more trials; got {len(members)}")
    return members


def _member_metric(spec):
    if spec["task"] == "classification" and spec["metric"] not in NEEDS_PROBA:
        return _PROBA_METRIC
    return spec["metric"]


def _ensemble(spec, trial_params_list, kinds):
    metric = _member_metric(spec)
    pipelines = [
        (f"{i}_{trial_estimator(spec, params)[0]}", trial_pipeline(spec, params, kinds, metric))
        for i, params in enumerate(trial_params_list)
    ]
    if spec["task"] == "classification":
        return VotingClassifier(pipelines, voting="soft")
    return VotingRegressor(pipelines)


__all__ = ["N_MEMBERS", "ensemble_beats", "ensemble_members", "evaluate_ensemble", "fit_ensemble"]
