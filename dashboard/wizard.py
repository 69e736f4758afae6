"""What the create-study wizard offers: models, metrics, datasets, spaces, samplers, pruners.

Built from the engine's and the objectives' own registries, so a sampler or pruner added
to `studies.engine` appears in the wizard without a change here.
"""

from studies import engine, objectives
from studies.objectives.constraints import LIMIT_SCORES, MEASURES
from studies.objectives.estimators import ESTIMATORS
from studies.objectives.spec import TASKS
from studies.objectives.metrics import METRIC_MEANINGS, METRICS

ESTIMATOR_LABELS = {
    "logistic_regression": "Logistic regression", "random_forest": "Random forest",
    "hist_gradient_boosting": "Gradient boosting (histogram)", "svm": "Support vector machine",
    "knn": "k nearest neighbours", "mlp": "Neural network (MLP)", "ridge": "Ridge regression",
    "elastic_net": "Elastic net", "extra_trees": "Extra trees",
}
LET_TUNER_CHOOSE = "Let Tuner choose (tries every kind)"
METRIC_LABELS = {name: objectives.metric_words(name, capital=True) for name in METRICS}
AUTO_FIRST = "auto"
# "Start with recommended settings": Tuner picks the model and the search, 50 trials two at
# a time (the budget bench/automl.py measures against FLAML); the metric is the dataset's
# default (`services.inspect_dataset_target`).
RECOMMENDED_BUDGET = {"n_trials": 50, "parallelism": 2}


def catalogue():
    """Everything the wizard's script needs, as JSON-ready data."""
    return {
        "estimators": _estimators(),
        "metrics": [{"name": name, "label": METRIC_LABELS.get(name, name), "task": task, "direction": direction,
                     "meaning": METRIC_MEANINGS[name]} for name, (task, direction) in METRICS.items()],
        "limits": _limits(),
        "datasets": [{"name": name, **info} for name, info in objectives.BUNDLED_DATASETS.items()],
        "samplers": _choices(engine.SAMPLERS),
        "pruners": _choices(engine.PRUNERS),
        "default_sampler": AUTO_FIRST if AUTO_FIRST in engine.SAMPLERS else "random",
        "recommended_budget": RECOMMENDED_BUDGET,
        "goals": engine.GOAL_WORDS,
        "param_meanings": objectives.MEANINGS_BY_NAME,
    }


def _estimators():
    """Every model the wizard offers, 'let Tuner choose' first: the default for a built-in model."""
    spaces = {task: objectives.default_search_space(objectives.AUTO, task) for task in TASKS}
    found = [{"name": objectives.AUTO, "label": LET_TUNER_CHOOSE, "tasks": list(TASKS), "spaces": spaces}]
    for name, kind in ESTIMATORS.items():
        tasks = [task for task in ("classification", "regression") if kind.cls_for(task) is not None]
        spaces = {task: objectives.default_search_space(name, task) for task in tasks}
        found.append({"name": name, "label": ESTIMATOR_LABELS.get(name, name), "tasks": tasks, "spaces": spaces})
    return found


# The wizard asks for a model size in MB (a size in bytes is hard to type); it sends bytes.
LIMIT_SCALES = {"model_size_bytes": (1_000_000, "MB")}


def _limits():
    """What a limit may be set on, worded for "Only accept models whose <label> is at most <n> <unit>",
    with the natural bound ("max" for times, sizes and errors, "min" for scores that grow)."""
    found = []
    for name in objectives.limit_metrics():
        label, unit = objectives.limit_words(name)
        scale, unit = LIMIT_SCALES.get(name, (1, unit))
        task = LIMIT_SCORES.get(name) or METRICS.get(name, (None,))[0]
        grows = name not in MEASURES and METRICS.get(name, (None, "maximize"))[1] == "maximize"
        found.append({"name": name, "label": label, "unit": unit, "scale": scale, "task": task,
                      "bound": "min" if grows else "max"})
    return found


def _choices(registry):
    """Registry entries as name, title and plain explanation, `auto` first when there is one."""
    names = sorted(registry, key=lambda name: (name != AUTO_FIRST, list(registry).index(name)))
    return [{"name": name, "title": getattr(registry[name], "title", name), "describe": getattr(registry[name], "describe", "")}
            for name in names]


def prefill_from(study):
    """A wizard prefill that copies a study: its space, objective, sampler, pruner and budget, and
    the name of its own code's value (a built-in model's is its metric's, which the copy may change)."""
    objective = {key: value for key, value in study.objective.items() if value is not None}
    return {
        "name": f"{study.name} (copy)",
        "objective": objective,
        "directions": study.directions,
        "objective_names": study.objective_names if study.is_external else [],
        "search_space": study.search_space,
        "sampler": {key: value for key, value in study.sampler.items() if key not in ("chosen", "choice", "reason")},
        "pruner": study.pruner,
        "budget": {"n_trials": study.n_trials, "timeout_s": study.timeout_s, "parallelism": study.parallelism,
                   **{key: value for key, value in (study.stop_rules or {}).items()
                      if value is not None and (key != "min_delta" or value)}},
    }
