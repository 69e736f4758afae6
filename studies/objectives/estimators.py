"""The scikit-learn estimators a study can tune, and how each is built for a trial."""

import re
from collections import Counter
from dataclasses import dataclass

from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, SVR

from .errors import ObjectiveError
from .metrics import NEEDS_PROBA


@dataclass(frozen=True)
class EstimatorKind:
    """One tunable estimator: its class per task, and settings fixed for every trial.

    ``scaled`` says whether the model needs standardised numbers (models that work on
    distances, margins or gradients do; trees do not): numeric features always, and the
    target too for regression, so that default ranges such as ``alpha`` or ``epsilon``
    mean the same whatever the target's units. ``fixed`` are constructor arguments set
    before the trial's params, chosen to keep one evaluation quick and single-threaded.
    """

    classifier: type | None
    regressor: type | None
    scaled: bool
    fixed: tuple = ()

    def tasks(self):
        """Return the tasks this estimator serves, in a stable order."""
        pairs = (("classification", self.classifier), ("regression", self.regressor))
        return tuple(task for task, cls in pairs if cls is not None)

    def cls_for(self, task):
        """Return the scikit-learn class for a task, or None if the task is not served."""
        return self.classifier if task == "classification" else self.regressor


ESTIMATORS = {
    "logistic_regression": EstimatorKind(LogisticRegression, None, True, (("max_iter", 1000),)),
    "random_forest": EstimatorKind(
        RandomForestClassifier, RandomForestRegressor, False, (("n_jobs", 1),)
    ),
    "extra_trees": EstimatorKind(ExtraTreesClassifier, ExtraTreesRegressor, False, (("n_jobs", 1),)),
    "hist_gradient_boosting": EstimatorKind(
        HistGradientBoostingClassifier, HistGradientBoostingRegressor, False
    ),
    # libsvm has no iteration cap by default; a bad C/gamma corner could otherwise run for
    # minutes. Hitting the cap gives a poorer score, which the sampler learns to avoid.
    "svm": EstimatorKind(SVC, SVR, True, (("max_iter", 100_000),)),
    "knn": EstimatorKind(KNeighborsClassifier, KNeighborsRegressor, True, (("n_jobs", 1),)),
    "mlp": EstimatorKind(MLPClassifier, MLPRegressor, True, (("max_iter", 200),)),
    "ridge": EstimatorKind(None, Ridge, True),
    "elastic_net": EstimatorKind(None, ElasticNet, True, (("max_iter", 5000),)),
}

# Workers are the parallelism: a trial that spawns its own threads starves its neighbours.
_PINNED = ("n_jobs",)
# Rows per class that CalibratedClassifierCV(cv=3) needs in every training fold.
CALIBRATION_FOLDS = 3
_BAD_PARAM = re.compile(r"The '(\w+)' parameter")


def estimator_kind(name):
    """Return the `EstimatorKind` registered under ``name``.

    Raises:
        ObjectiveError: Unknown estimator (field ``objective.estimator``).
    """
    if not isinstance(name, str) or name not in ESTIMATORS:
        known = ", ".join(ESTIMATORS)
        raise ObjectiveError("objective.estimator", f"unknown estimator {name!r}; choose one of {known}")
    return ESTIMATORS[name]


def estimator_class(name, task):
    """Return the scikit-learn class for an estimator name and a task.

    Raises:
        ObjectiveError: Unknown estimator, or one that does not serve the task.
    """
    cls = estimator_kind(name).cls_for(task)
    if cls is None:
        raise ObjectiveError("objective.estimator", f"{name} cannot do {task}")
    return cls


def make_estimator(name, task, params, metric=None):
    """Build an unfitted estimator for one trial.

    ``random_state`` defaults to 0 wherever the class has it; ``n_jobs`` is pinned to 1
    where it still has an effect and may not be tuned. When the metric needs class probabilities, SVC is wrapped in
    ``CalibratedClassifierCV(ensemble=False, cv=3)`` (Platt scaling; scikit-learn's
    replacement for the deprecated ``SVC(probability=True)``). Regressors that need
    scaling are wrapped in ``TransformedTargetRegressor`` with a ``StandardScaler``.

    Args:
        name: A key of `ESTIMATORS`.
        task: ``"classification"`` or ``"regression"``.
        params: The trial's params, named as the class's constructor arguments.
        metric: The metric the estimator will be scored with, if known.

    Returns:
        An unfitted scikit-learn estimator, possibly wrapped as described.

    Raises:
        ObjectiveError: An unknown param, or one that may not be tuned (field
            ``params.<name>``).
    """
    cls = estimator_class(name, task)
    accepted = cls().get_params(deep=False)
    _check_param_names(cls, params, accepted)
    settings = {"random_state": 0} if "random_state" in accepted else {}
    model = cls(**(settings | dict(ESTIMATORS[name].fixed) | dict(params)))
    if needs_calibration(name, metric):
        model = CalibratedClassifierCV(model, ensemble=False, cv=CALIBRATION_FOLDS)
    if task == "regression" and ESTIMATORS[name].scaled:
        model = TransformedTargetRegressor(regressor=model, transformer=StandardScaler())
    return model


def needs_calibration(name, metric):
    """Whether the estimator must be calibrated to give the probabilities a metric needs."""
    return name == "svm" and metric in NEEDS_PROBA


def check_fold(name, params, metric, y_train):
    """Reject settings that cannot work on one training fold.

    Raises:
        ObjectiveError: knn's ``n_neighbors`` above the rows in the fold, or a class with
            fewer rows than SVC's probability calibration needs.
    """
    k = params.get("n_neighbors")
    if name == "knn" and isinstance(k, int) and k > len(y_train):
        raise ObjectiveError(
            "params.n_neighbors",
            f"n_neighbors={k} is more than the {len(y_train)} rows in a training fold",
        )
    if needs_calibration(name, metric):
        label, n_rows = min(Counter(y_train.tolist()).items(), key=lambda item: item[1])
        if n_rows < CALIBRATION_FOLDS:
            raise ObjectiveError(
                "objective.metric",
                f"svm with {metric} calibrates probabilities on {CALIBRATION_FOLDS} folds, but a "
                f"training fold has only {n_rows} rows of class {label!r}",
            )


def param_error(exc):
    """Turn scikit-learn's InvalidParameterError into an ObjectiveError on the param's field."""
    match = _BAD_PARAM.search(str(exc))
    field = f"params.{match.group(1)}" if match else "params"
    return ObjectiveError(field, str(exc))


def _check_param_names(cls, params, accepted):
    for key in params:
        if key in _PINNED:
            raise ObjectiveError(f"params.{key}", f"{key} is fixed: the workers are the parallelism")
        if key not in accepted:
            raise ObjectiveError(f"params.{key}", f"{cls.__name__} has no parameter {key!r}")
