"""Letting Tuner choose the model: one search space over several estimator families.

An sklearn objective whose ``estimator`` is ``"auto"`` (every family that serves the task)
or a list of estimator names searches one space: a categorical parameter ``estimator``
picks the family, and each family's parameters exist only when it is picked (a
``condition`` on ``estimator``).

Naming rule: a family's parameter is named ``<family>__<param>``, e.g.
``random_forest__max_depth`` or ``svm__gamma``. The double underscore is scikit-learn's
own separator for nested parameters (``model__C``); it is a valid engine parameter name
(an ASCII identifier), and it splits unambiguously, because no family name and no
constructor argument contains it. Each family's part is its default space renamed
(`spaces.auto_search_space`), so a family's ranges live in one place; a condition inside
a family (svm's ``gamma`` on ``kernel``) is renamed with it.
"""

from .errors import ObjectiveError
from .estimators import ESTIMATORS, estimator_kind

AUTO = "auto"
FAMILY_PARAM = "estimator"
SEPARATOR = "__"
# What each family is called for people; the API and the search space keep the code names.
FAMILY_LABELS = {
    "logistic_regression": "Logistic regression", "random_forest": "Random forest", "extra_trees": "Extra trees",
    "hist_gradient_boosting": "Gradient boosting", "svm": "Support vector machine", "knn": "Nearest neighbours",
    "mlp": "Neural network", "ridge": "Ridge regression", "elastic_net": "Elastic net",
}


def is_auto(estimator):
    """Whether an objective's ``estimator`` lets Tuner choose among families.

    Args:
        estimator: The ``estimator`` of a validated objective spec.

    Returns:
        True for ``"auto"`` and for a list of estimator names.
    """
    return estimator == AUTO or isinstance(estimator, (list, tuple))


def families(estimator, task):
    """Return the families an objective searches, in a stable order.

    Args:
        estimator: ``"auto"``, a list of estimator names, or one estimator name.
        task: ``"classification"`` or ``"regression"``.

    Returns:
        A tuple of estimator names: for ``"auto"`` every estimator that serves the task,
        in the order of `ESTIMATORS`; for a list, the list; for a name, that name.

    Raises:
        ObjectiveError: An unknown name, or one that does not serve the task (field
            ``objective.estimator``).

    Example:
        >>> families("auto", "regression")[:2]
        ('random_forest', 'extra_trees')
    """
    if estimator == AUTO:
        return tuple(name for name, kind in ESTIMATORS.items() if task in kind.tasks())
    names = (estimator,) if isinstance(estimator, str) else tuple(estimator)
    unable = [name for name in names if task not in estimator_kind(name).tasks()]
    if unable:
        able = ", ".join(name for name, kind in ESTIMATORS.items() if task in kind.tasks())
        raise ObjectiveError("objective.estimator", f"{', '.join(unable)} cannot do {task}; choose among {able}")
    return names


def param_words(name):
    """Name a search-space parameter for people: ``svm__C`` -> "C of support vector machine",
    ``estimator`` -> "the kind of model"; a kind of model is named as the leaderboard names it.

    Example:
        >>> param_words("hist_gradient_boosting__max_depth")
        'max_depth of gradient boosting'
    """
    if name == FAMILY_PARAM:
        return "the kind of model"
    family, separator, param = name.partition(SEPARATOR)
    return f"{param} of {family_words(family)}" if separator and param else name


def family_words(family):
    """A kind of model inside a sentence: ``hist_gradient_boosting`` -> "gradient boosting"."""
    return FAMILY_LABELS.get(family, family.replace("_", " ")).lower()


def prefixed(family, param):
    """Return the auto-space name of a family's parameter, e.g. ``svm__C``."""
    return f"{family}{SEPARATOR}{param}"


def split_params(params, names):
    """Split an auto trial's params into the chosen family and its own params.

    Args:
        params: The trial's params: ``estimator`` and ``<family>__<param>`` entries.
        names: The families the objective allows (see `families`).

    Returns:
        ``(family, family_params)`` with the family's params under their constructor
        names, ready for `estimators.make_estimator`.

    Raises:
        ObjectiveError: ``estimator`` missing or not allowed (field ``params.estimator``),
            or a param of another family or without a family prefix (``params.<name>``).

    Example:
        >>> split_params({"estimator": "svm", "svm__C": 2.0}, ("svm", "knn"))
        ('svm', {'C': 2.0})
    """
    family = params.get(FAMILY_PARAM)
    if not isinstance(family, str) or family not in names:
        raise ObjectiveError(f"params.{FAMILY_PARAM}", f"must be one of {', '.join(names)}; got {family!r}")
    start = prefixed(family, "")
    own = {}
    for key, value in params.items():
        if key == FAMILY_PARAM:
            continue
        if not key.startswith(start):
            message = f"does not belong to {family}: with estimator {family}, params are named {start}<param>"
            raise ObjectiveError(f"params.{key}", message)
        own[key[len(start):]] = value
    return family, own


def trial_estimator(spec, params):
    """Return the estimator name and its constructor params for one trial.

    Args:
        spec: A validated sklearn objective spec whose ``task`` is known.
        params: The trial's params.

    Returns:
        ``(name, params)``: for an auto objective as `split_params`; otherwise the spec's
        estimator and the params unchanged.

    Raises:
        ObjectiveError: As `split_params`.
    """
    estimator = spec["estimator"]
    if not is_auto(estimator):
        return estimator, params
    return split_params(params, families(estimator, spec["task"]))


def family_of(params, estimator):
    """Return the family of a trial's model, for the leaderboard.

    Args:
        params: The trial's params.
        estimator: The objective's ``estimator`` (a name, ``"auto"`` or a list).

    Returns:
        ``params["estimator"]`` for an auto objective, else the objective's estimator;
        None when an auto trial has no ``estimator`` param.
    """
    if is_auto(estimator):
        family = params.get(FAMILY_PARAM)
        return family if isinstance(family, str) else None
    return estimator
