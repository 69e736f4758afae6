import pytest

from studies.engine import Optimizer, SearchSpace
from studies.objectives import ObjectiveError, default_search_space
from studies.objectives.automl import families
from studies.objectives.estimators import ESTIMATORS
from studies.objectives.spaces import initial_params

TASKS = ["classification", "regression"]


@pytest.mark.parametrize("task", TASKS)
def test_auto_space_round_trips_through_the_engine(task):
    space = default_search_space("auto", task)

    assert SearchSpace.from_json(space).to_json() == space


@pytest.mark.parametrize("task", TASKS)
def test_auto_space_offers_every_family_that_serves_the_task(task):
    able = [name for name, kind in ESTIMATORS.items() if task in kind.tasks()]

    assert default_search_space("auto", task)["estimator"]["choices"] == able


def test_a_list_of_estimators_offers_only_those_families():
    space = default_search_space(["svm", "knn"], "classification")

    assert space["estimator"]["choices"] == ["svm", "knn"]
    assert {name.split("__")[0] for name in space if name != "estimator"} == {"svm", "knn"}


@pytest.mark.parametrize("task", TASKS)
def test_each_family_param_is_its_default_param_renamed_and_conditioned_on_the_family(task):
    space = default_search_space("auto", task)

    for family in families("auto", task):
        own = default_search_space(family, task)
        for key, spec in own.items():
            renamed = space[f"{family}__{key}"]
            if "condition" in spec:
                parent, values = next(iter(spec["condition"].items()))
                assert renamed["condition"] == {f"{family}__{parent}": values}
            else:
                assert renamed["condition"] == {"estimator": [family]}
            assert {k: v for k, v in renamed.items() if k != "condition"} == {
                k: v for k, v in spec.items() if k != "condition"
            }


def test_svm_gamma_stays_conditional_on_the_svm_kernel():
    space = default_search_space("auto", "classification")

    assert space["svm__gamma"]["condition"] == {"svm__kernel": ["rbf", "poly"]}


@pytest.mark.parametrize("task", TASKS)
def test_sampled_trials_reach_every_family_with_only_that_familys_params(task):
    optimizer = Optimizer(default_search_space("auto", task), sampler="random", seed=3)

    chosen = set()
    for _ in range(80):
        params = optimizer.ask().params
        family = params["estimator"]
        chosen.add(family)
        assert all(key.startswith(f"{family}__") for key in params if key != "estimator")

    assert chosen == set(families("auto", task))


def test_auto_study_picks_tpe_for_the_conditional_space():
    from studies.engine.samplers.auto import AutoSampler

    space = SearchSpace.from_json(default_search_space("auto", "regression"))

    assert AutoSampler.choose(space, ["maximize"], 50)[0] == "tpe"


@pytest.mark.parametrize("task", TASKS)
def test_initial_params_fit_the_space_once_per_family(task):
    space = SearchSpace.from_json(default_search_space("auto", task))

    chosen = initial_params("auto", task)

    assert [params["estimator"] for params in chosen] == list(families("auto", task))
    assert all(space.validate_params(params) == params for params in chosen)


def test_initial_params_of_one_estimator_fit_its_own_space():
    space = SearchSpace.from_json(default_search_space("svm", "regression"))

    (params,) = initial_params("svm", "regression")

    assert space.validate_params(params) == params


def test_auto_space_with_a_family_that_cannot_do_the_task_names_the_estimator_field():
    with pytest.raises(ObjectiveError) as info:
        default_search_space(["ridge", "svm"], "classification")

    assert info.value.field == "objective.estimator"
    assert "ridge" in info.value.message
