import numpy as np
import pytest

from studies.objectives import ObjectiveError, default_function_space, default_search_space
from studies.objectives.estimators import ESTIMATORS, estimator_class, make_estimator

PAIRS = [(name, task) for name, kind in ESTIMATORS.items() for task in kind.tasks()]
IDS = [f"{name}-{task}" for name, task in PAIRS]


def _check_param(name, spec, space):
    assert spec["type"] in ("float", "int", "categorical"), name
    if spec["type"] == "categorical":
        assert spec["choices"] and len(set(spec["choices"])) == len(spec["choices"]), name
    else:
        assert spec["low"] < spec["high"], name
        assert not spec.get("log") or spec["low"] > 0, name
        assert spec["type"] == "float" or all(isinstance(spec[k], int) for k in ("low", "high")), name
    for parent, values in spec.get("condition", {}).items():
        assert space[parent]["type"] == "categorical", name
        assert set(values) <= set(space[parent]["choices"]), name


def _corner(space, high):
    """Every param at its high (or low) end, choices last (or first), conditions respected."""
    params = {}
    for name, spec in space.items():
        condition = spec.get("condition", {})
        if any(params.get(parent) not in values for parent, values in condition.items()):
            continue
        if spec["type"] == "categorical":
            params[name] = spec["choices"][-1 if high else 0]
        else:
            params[name] = spec["high" if high else "low"]
    return params


@pytest.mark.parametrize("estimator, task", PAIRS, ids=IDS)
def test_default_space_is_well_formed(estimator, task):
    space = default_search_space(estimator, task)

    assert space
    for name, spec in space.items():
        _check_param(name, spec, space)


@pytest.mark.parametrize("estimator, task", PAIRS, ids=IDS)
def test_default_space_keys_are_constructor_params(estimator, task):
    accepted = estimator_class(estimator, task)().get_params()

    assert set(default_search_space(estimator, task)) <= set(accepted)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("high", [False, True], ids=["low-corner", "high-corner"])
@pytest.mark.parametrize("estimator, task", PAIRS, ids=IDS)
def test_default_space_corners_fit(estimator, task, high):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.arange(40) % 2 if task == "classification" else X[:, 0] + rng.normal(size=40)
    params = _corner(default_search_space(estimator, task), high)

    make_estimator(estimator, task, params).fit(X, y)


def test_svm_degree_is_only_active_for_the_poly_kernel():
    space = default_search_space("svm", "classification")

    assert space["degree"]["condition"] == {"kernel": ["poly"]}


def test_svm_regression_space_adds_epsilon():
    assert "epsilon" in default_search_space("svm", "regression")
    assert "epsilon" not in default_search_space("svm", "classification")


def test_tree_ensembles_stay_at_or_below_300_estimators():
    assert default_search_space("random_forest", "regression")["n_estimators"]["high"] <= 300
    assert default_search_space("hist_gradient_boosting", "classification")["max_iter"]["high"] <= 300


def test_default_space_is_a_fresh_copy():
    default_search_space("svm", "classification")["C"]["low"] = 99

    assert default_search_space("svm", "classification")["C"]["low"] == 1e-3


def test_default_space_for_incompatible_task_raises_on_estimator():
    with pytest.raises(ObjectiveError) as info:
        default_search_space("ridge", "classification")
    assert info.value.field == "objective.estimator"


@pytest.mark.parametrize("estimator, task", PAIRS, ids=IDS)
def test_default_space_round_trips_through_the_engine(estimator, task):
    space_module = pytest.importorskip("studies.engine.space")
    space = default_search_space(estimator, task)

    assert space_module.SearchSpace.from_json(space).to_json() == space


@pytest.mark.parametrize("name", ["branin", "hartmann6", "rosenbrock", "ackley", "sphere", "styblinski_tang"])
def test_default_function_space_round_trips_through_the_engine(name):
    space_module = pytest.importorskip("studies.engine.space")
    space = default_function_space(name)

    assert space_module.SearchSpace.from_json(space).to_json() == space
