"""Training in stages, so that pruners see a score as a model learns and a pruned trial saves time.

Iterative estimators are warm-started a few iterations (or epochs) at a time on every
fold in lockstep; after each stage the mean score over the folds is reported. A pruner
that stops the trial after the first stages saves most of its training, which a report
per finished fold (the fallback for other estimators) cannot do.
"""

import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

# Private module, but the class has been public in behaviour since scikit-learn 1.2 and is
# the only way to tell a bad param value from a bug of ours.
from sklearn.utils._param_validation import InvalidParameterError
from threadpoolctl import threadpool_limits

from .errors import EvaluationStopped
from .estimators import param_error
from .metrics import score


@dataclass(frozen=True)
class Stages:
    """How an estimator trains in stages.

    Stages end after unit, 2 unit, 4 unit, ... iterations, and at the total: the same
    steps in every trial (so the median pruner can compare them), doubling so that the
    overhead of stopping, restarting and scoring stays a small share of the training,
    and lining up with the geometric rungs of successive halving. With ``cumulative``, ``max_iter`` counts the
    iterations of the whole model (boosting adds trees up to it); otherwise it caps each
    warm-started ``fit`` call, and the trial's ``max_iter`` is the total we spread over
    the stages. A stage that ends without a ConvergenceWarning means the model has
    converged, and training stops there, as one long ``fit`` would have.
    """

    unit: int
    cumulative: bool


STAGED = {
    "hist_gradient_boosting": Stages(unit=10, cumulative=True),
    "mlp": Stages(unit=10, cumulative=False),
    "logistic_regression": Stages(unit=10, cumulative=False),
    "elastic_net": Stages(unit=100, cumulative=False),
}


def _total_iterations(model):
    """The iterations a one-shot fit of the estimator would run at most."""
    return _estimator(model.named_steps["model"]).get_params()["max_iter"]


def staged_cross_validate(name, model, metric, X, y, folds, report, should_stop, measure=None):
    """Cross-validate an iterative estimator stage by stage on all folds at once.

    Args:
        name: A key of ``STAGED``.
        model: The unfitted pipeline (steps "prepare" and "model").
        metric: The metric name.
        X, y: The data.
        folds: List of ``(train, test)`` index arrays.
        report: None, or called as ``report(step, value)`` after each stage, ``step``
            being the iterations (epochs) done so far on every fold and ``value`` the
            mean score over the folds at that point.
        should_stop: None, or called before each fold's part of each stage, so a stop is
            seen within a fraction of a stage; when it returns true, ``EvaluationStopped(0)``
            is raised (no fold is complete before the last stage).
        measure: None, or called after the last stage as ``measure(fitted, test, fit_s)`` for
            each fold: its whole fitted model (taking raw rows), its test indices and the
            seconds its training took (stages and preprocessing, not scoring).

    Returns:
        The score of each fold after the last stage, in fold order.

    Raises:
        ObjectiveError: For an invalid param value.
        EvaluationStopped: As above.
    """
    stages = STAGED[name]
    total = _total_iterations(model)
    runs = [_FoldRun(model, X, y, train, test) for train, test in folds]
    done = 0
    while True:
        step = min(max(2 * done, stages.unit), total)
        target = step if stages.cumulative else step - done
        scores = []
        for run in runs:
            if should_stop is not None and should_stop():
                raise EvaluationStopped(0)
            scores.append(run.advance(target, metric))
        done = step
        value = float(np.mean(scores))
        if report is not None:
            report(step, value)
        if done >= total or (not stages.cumulative and all(run.converged for run in runs)):
            for run, (_, test) in zip(runs, folds) if measure is not None else ():
                measure(_Whole(run.prepare, _Fitted(run.estimator, run.y_scaler)), test, run.fit_s)
            return scores


class _FoldRun:
    """One fold's preprocessing (fitted once) and its warm-started estimator."""

    def __init__(self, model, X, y, train, test):
        start = time.perf_counter()
        prepare = clone(model.named_steps["prepare"])
        self.X_train = prepare.fit_transform(X[train])
        self.prepare = prepare
        self.X_test = prepare.transform(X[test])
        self.y_test = y[test]
        outer = model.named_steps["model"]
        self.estimator = clone(_estimator(outer)).set_params(warm_start=True)
        self.y_scaler = None
        y_train = y[train]
        if isinstance(outer, TransformedTargetRegressor):
            # TransformedTargetRegressor refits a fresh clone on every fit, which would
            # lose the warm start; the target scaling it does is redone here.
            self.y_scaler = StandardScaler().fit(y_train.reshape(-1, 1))
            y_train = self.y_scaler.transform(y_train.reshape(-1, 1)).ravel()
        self.y_train = y_train
        self.converged = False
        self.fit_s = time.perf_counter() - start

    def advance(self, max_iter, metric):
        """Fit up to ``max_iter`` more (or in total) iterations, then score on the test fold."""
        self.estimator.set_params(max_iter=max_iter)
        # One thread for BLAS and OpenMP, scoring included: the workers are the parallelism,
        # and boosting's predict spawning threads per tree is slow on a busy machine.
        with threadpool_limits(limits=1):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                start = time.perf_counter()
                try:
                    self.estimator.fit(self.X_train, self.y_train)
                except InvalidParameterError as exc:
                    raise param_error(exc) from exc
                self.fit_s += time.perf_counter() - start
            self.converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
            return score(metric, _Fitted(self.estimator, self.y_scaler), self.X_test, self.y_test)


class _Fitted:
    """A fitted estimator seen through the target scaling, for ``metrics.score``."""

    def __init__(self, estimator, y_scaler):
        self.estimator = estimator
        self.y_scaler = y_scaler

    @property
    def classes_(self):
        return self.estimator.classes_

    def predict(self, X):
        pred = self.estimator.predict(X)
        if self.y_scaler is None:
            return pred
        return self.y_scaler.inverse_transform(np.asarray(pred).reshape(-1, 1)).ravel()

    def predict_proba(self, X):
        return self.estimator.predict_proba(X)


class _Whole:
    """A fold's preprocessing and fitted estimator as one model taking raw rows, for measuring
    predict time and size as a user's copy would see them."""

    def __init__(self, prepare, fitted):
        self.prepare = prepare
        self.fitted = fitted

    @property
    def classes_(self):
        return self.fitted.classes_

    def predict(self, X):
        return self.fitted.predict(self.prepare.transform(X))

    def predict_proba(self, X):
        return self.fitted.predict_proba(self.prepare.transform(X))


def _estimator(outer):
    return outer.regressor if isinstance(outer, TransformedTargetRegressor) else outer


__all__ = ["STAGED", "staged_cross_validate"]
