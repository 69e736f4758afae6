"""Validation and normalisation of objective specs, and their natural direction.

The normalised sklearn spec always has every key: ``kind``, ``estimator``, ``dataset``,
``target`` (None for bundled datasets), ``metric`` (the task's default when not given and
the task is known), ``cv`` (default 5), ``task`` (None for a CSV whose task was not
passed) and ``exclude`` (column names left out of the features; default empty); and
``constraints`` when the spec sets limits on what a trial measures (see `constraints`; an
empty list is left out). Validating a normalised spec again returns it unchanged.

``estimator`` is one estimator name, ``"auto"`` (Tuner chooses among every family that
serves the task) or a non-empty list of distinct estimator names (Tuner chooses among
those); see `automl` for the search space such objectives get.
"""

import re

from .automl import AUTO
from .constraints import validate_constraints
from .datasets import BUNDLED_DATASETS
from .errors import ObjectiveError
from .estimators import ESTIMATORS, estimator_kind
from .functions import BENCHMARKS
from .metrics import DEFAULT_METRIC, metric_direction, metric_task
from .tables import bundled_feature_names

TASKS = ("classification", "regression")
CV_RANGE = (2, 20)
DEFAULT_CV = 5
_CSV_DATASET = re.compile(r"csv:[A-Za-z0-9_-]{1,64}")
_KEYS = {
    "sklearn": ("kind", "estimator", "dataset", "target", "metric", "cv", "task", "exclude", "constraints"),
    "function": ("kind", "name"),
    "external": ("kind",),
}


def validate_objective(spec, task=None, columns=None):
    """Validate an objective spec and return it normalised.

    Args:
        spec: ``{"kind": "sklearn", ...}``, ``{"kind": "function", "name": ...}`` or
            ``{"kind": "external"}``; see the module docstring for the sklearn keys.
        task: ``"classification"`` or ``"regression"`` when the caller knows the task
            of an uploaded CSV (see `detect_task`); ignored for other kinds.
        columns: The uploaded CSV's column names, when the caller knows them, so that
            ``exclude`` is checked against them (bundled datasets are checked always).

    Returns:
        A new dict, normalised as described in the module docstring.

    Raises:
        ObjectiveError: The first fault found, with its field (``"objective.metric"``...).

    Example:
        >>> validate_objective({"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes"})["metric"]
        'r2'
    """
    if not isinstance(spec, dict):
        raise ObjectiveError("objective", "must be an object")
    kind = spec.get("kind")
    if not isinstance(kind, str) or kind not in _KEYS:
        raise ObjectiveError("objective.kind", f"unknown kind {kind!r}; choose one of {', '.join(_KEYS)}")
    for key in spec:
        if key not in _KEYS[kind]:
            raise ObjectiveError(f"objective.{key}", f"unknown key for a {kind} objective")
    if kind == "sklearn":
        clean = _sklearn(spec, task)
        clean["exclude"] = _exclude(spec, clean, columns)
        limits = validate_constraints(spec["constraints"], clean["task"]) if "constraints" in spec else []
        return clean | ({"constraints": limits} if limits else {})
    if kind == "function":
        return {"kind": "function", "name": _function_name(spec)}
    return {"kind": "external"}


def objective_direction(spec):
    """Return the natural direction of an objective.

    Args:
        spec: An objective spec (validated here).

    Returns:
        The metric's direction for sklearn objectives, ``"minimize"`` for benchmark
        functions, and None for external objectives or for a CSV objective whose metric
        is not known yet (no metric given and task not known).

    Raises:
        ObjectiveError: The spec is invalid.
    """
    spec = validate_objective(spec)
    if spec["kind"] == "function":
        return "minimize"
    if spec["kind"] == "external" or spec["metric"] is None:
        return None
    return metric_direction(spec["metric"])


def _sklearn(spec, task):
    estimator = _estimator(spec)
    dataset = _dataset(spec)
    task = _task(spec, task, dataset)
    metric = _optional_string(spec, "metric")
    _check_compatible(estimator, metric, task)
    if metric is None and task is not None:
        metric = DEFAULT_METRIC[task]
    return {
        "kind": "sklearn", "estimator": estimator, "dataset": dataset,
        "target": _target(spec, dataset), "metric": metric, "cv": _cv(spec), "task": task,
    }


def _string(spec, key):
    value = spec.get(key)
    if not isinstance(value, str) or not value:
        raise ObjectiveError(f"objective.{key}", "required, and must be a non-empty string")
    return value


def _estimator(spec):
    value = spec.get("estimator")
    if isinstance(value, list):
        if not value:
            raise ObjectiveError("objective.estimator", "the list of estimators is empty; name at least one")
        for name in value:
            estimator_kind(name)
        repeated = sorted({name for name in value if value.count(name) > 1})
        if repeated:
            raise ObjectiveError("objective.estimator", f"{', '.join(repeated)} is listed more than once")
        return list(value)
    if not isinstance(value, str) or not value:
        message = 'required: an estimator name, "auto" or a list of estimator names'
        raise ObjectiveError("objective.estimator", message)
    if value != AUTO:
        estimator_kind(value)
    return value


def _optional_string(spec, key):
    value = spec.get(key)
    if value is not None and not isinstance(value, str):
        raise ObjectiveError(f"objective.{key}", "must be a string or null")
    return value


def _function_name(spec):
    name = _string(spec, "name")
    if name not in BENCHMARKS:
        known = ", ".join(BENCHMARKS)
        raise ObjectiveError("objective.name", f"unknown function {name!r}; choose one of {known}")
    return name


def _dataset(spec):
    dataset = _string(spec, "dataset")
    if dataset not in BUNDLED_DATASETS and not _CSV_DATASET.fullmatch(dataset):
        known = ", ".join(BUNDLED_DATASETS)
        message = f"unknown dataset {dataset!r}; choose one of {known} or csv:<id>"
        raise ObjectiveError("objective.dataset", message)
    return dataset


def _task(spec, task, dataset):
    given = _optional_string(spec, "task")
    for value in (given, task):
        if value is not None and value not in TASKS:
            message = f"unknown task {value!r}; choose classification or regression"
            raise ObjectiveError("objective.task", message)
    if given and task and given != task:
        raise ObjectiveError("objective.task", f"the spec says {given} but the dataset is for {task}")
    chosen = given or task
    natural = BUNDLED_DATASETS.get(dataset, {}).get("task")
    if natural and chosen and chosen != natural:
        raise ObjectiveError("objective.task", f"{dataset} is a {natural} dataset")
    return natural or chosen


def _target(spec, dataset):
    if dataset in BUNDLED_DATASETS:
        if spec.get("target") is not None:
            message = "bundled datasets have a built-in target; leave it empty"
            raise ObjectiveError("objective.target", message)
        return None
    return _string(spec, "target")


def _cv(spec):
    cv = spec.get("cv", DEFAULT_CV)
    low, high = CV_RANGE
    if isinstance(cv, bool) or not isinstance(cv, int):
        raise ObjectiveError("objective.cv", "must be a whole number")
    if not low <= cv <= high:
        raise ObjectiveError("objective.cv", f"must be between {low} and {high}; got {cv}")
    return cv


def _check_compatible(estimator, metric, task):
    if estimator == AUTO:
        names = ()  # auto takes the families that serve the task, whichever it is
    else:
        names = [estimator] if isinstance(estimator, str) else estimator
    if task is not None:
        unable = [name for name in names if task not in estimator_kind(name).tasks()]
        if unable:
            able = ", ".join(name for name, kind in ESTIMATORS.items() if task in kind.tasks())
            message = f"{', '.join(unable)} cannot do {task}; choose among {able}"
            raise ObjectiveError("objective.estimator", message)
    if metric is None:
        return
    wanted = metric_task(metric)
    if task is not None and wanted != task:
        raise ObjectiveError("objective.metric", f"{metric} is a {wanted} metric but the task is {task}")
    unable = [name for name in names if wanted not in estimator_kind(name).tasks()]
    if unable:
        message = f"{metric} is a {wanted} metric and {', '.join(unable)} cannot do {wanted}"
        raise ObjectiveError("objective.metric", message)


def _exclude(spec, clean, columns):
    exclude = spec.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(name, str) and name for name in exclude):
        raise ObjectiveError("objective.exclude", "must be a list of column names")
    if len(set(exclude)) < len(exclude):
        twice = next(name for name in exclude if exclude.count(name) > 1)
        raise ObjectiveError("objective.exclude", f"column {twice!r} is listed twice")
    if clean["target"] in exclude:
        raise ObjectiveError("objective.exclude", f"{clean['target']!r} is the target; it cannot be excluded")
    if exclude and clean["dataset"] in BUNDLED_DATASETS:
        columns = bundled_feature_names(clean["dataset"])
    if columns is not None:
        _check_excluded_columns(exclude, [name for name in columns if name != clean["target"]])
    return list(exclude)


def _check_excluded_columns(exclude, features):
    unknown = [name for name in exclude if name not in features]
    if unknown:
        raise ObjectiveError("objective.exclude", f"{unknown[0]!r} is not a column of the dataset")
    if len(exclude) == len(features):
        raise ObjectiveError("objective.exclude", "every column besides the target is excluded; keep at least one")
