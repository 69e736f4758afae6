"""Validation of a study specification, shared by the API, the pages and the CLI.

A spec is plain JSON-shaped data. Every fault is reported against the field that holds it,
in the words the API answers with, and nothing is written until the whole spec is valid.
"""

import math
import secrets

from django.conf import settings

from studies import objectives
from studies.engine import SamplerError, SearchSpace, SearchSpaceError, make_pruner, make_sampler
from studies.engine import PrunerError, StopRuleError, StopRules, label_fault
from studies.models import Dataset

from . import caps
from .datasets import inspect_dataset_target
from .errors import InvalidInput

DIRECTIONS = ("minimize", "maximize")
SPEC_KEYS = {
    "name", "direction", "directions", "objective_names", "search_space", "sampler", "pruner", "objective", "budget",
    "grace_period_s", "retry_failed",
}
MAX_OBJECTIVE_NAME = 60
STOP_RULE_KEYS = {"target", "patience", "min_delta", "regret_bound"}
BUDGET_KEYS = {"n_trials", "timeout_s", "parallelism"} | STOP_RULE_KEYS
DEFAULT_SAMPLER = {"name": "auto"}
MAX_SEED = 2**32 - 1


class _Errors:
    """Collects messages per field so one answer lists every fault."""

    def __init__(self):
        self.by_field = {}

    def add(self, field, message):
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self.by_field:
            raise InvalidInput(self.by_field)


def validate_study_spec(owner, spec):
    """Check a study spec and return it normalised, ready for `create_study`.

    Raises InvalidInput naming each field at fault.
    """
    errors = _Errors()
    if not isinstance(spec, dict):
        raise InvalidInput.single("non_field_errors", "the study must be a JSON object")
    for key in sorted(set(spec) - SPEC_KEYS):
        errors.add(key, f"unknown field {key!r}")
    name = _name(spec.get("name"), errors)
    objective, dataset = _objective(owner, spec.get("objective"), errors)
    directions = _directions(spec, objective, errors)
    objective_names = _objective_names(spec.get("objective_names"), directions, errors) or _metric_name(objective)
    budget = _budget(spec.get("budget"), objective, errors)
    budget["stop_rules"] = _stop_rules(spec.get("budget"), directions, errors)
    liveness = _liveness(spec, errors)
    errors.raise_if_any()

    space = _search_space(spec.get("search_space"), objective, errors)
    sampler, seed = _sampler(spec.get("sampler"), space, directions, budget.get("n_trials"), errors)
    pruner = _pruner(spec.get("pruner"), errors)
    errors.raise_if_any()
    return {
        "name": name,
        "directions": directions,
        "objective_names": objective_names,
        "search_space": space.to_json(),
        "sampler": sampler,
        "seed": seed,
        "pruner": pruner,
        "objective": objective,
        "dataset": dataset,
        **budget,
        **liveness,
    }


def _name(value, errors):
    if not isinstance(value, str) or not value.strip():
        errors.add("name", "name is required: a short text that says what the study tunes")
        return ""
    value = value.strip()
    if len(value) > 200:
        errors.add("name", f"name is {len(value)} characters long; at most 200 are allowed")
    fault = label_fault(value)
    if fault:
        errors.add("name", f"name {fault}")
    return value


def _objective(owner, value, errors):
    if value is None:
        errors.add("objective", 'objective is required, e.g. {"kind": "external"}')
        return None, None
    task = None
    dataset = None
    if isinstance(value, dict) and isinstance(value.get("dataset"), str) and value["dataset"].startswith("csv:"):
        dataset = _owned_dataset(owner, value["dataset"], errors)
        if dataset is None:
            return None, None
        target = value.get("target") or dataset.suggested_target
        if target not in dataset.column_names:
            errors.add("objective.target", f"column {target!r} is not in the dataset; columns are {dataset.column_names}")
            return None, None
        try:
            found = inspect_dataset_target(dataset, target)
        except objectives.CsvError as exc:
            errors.add(exc.field, exc.message)
            return None, None
        task = found["task"]
        # No metric given: the one a constant guess cannot win (`objectives.default_metric`),
        # the same the wizard proposes.
        metric = found["metric"] if value.get("metric") is None else value["metric"]
        value = {**value, "target": target, "metric": metric}
    try:
        normalised = objectives.validate_objective(value, task=task,
                                                   columns=dataset.column_names if dataset is not None else None)
    except objectives.ObjectiveError as exc:
        errors.add(exc.field or "objective", exc.message)
        return None, None
    if dataset is not None and (fault := _folds_fault(normalised, dataset, found)):
        errors.add("objective.cv", fault)
        return None, None
    return normalised, dataset


def _folds_fault(objective, dataset, found):
    # Known from the file before any trial runs: without this every trial fails the same way.
    balance = found["class_balance"] if objective["task"] == found["task"] else None
    class_rows = {item["label"]: item["n_rows"] for item in balance or ()}
    return objectives.folds_fault(objective["task"], objective["cv"], dataset.n_rows - found["n_dropped"], class_rows)


def _owned_dataset(owner, reference, errors):
    try:
        dataset_id = int(reference.removeprefix("csv:"))
    except ValueError:
        errors.add("objective.dataset", f"{reference!r} is not a dataset reference; use csv:<id> from POST /api/datasets/")
        return None
    dataset = Dataset.objects.filter(pk=dataset_id, owner=owner).first()
    if dataset is None:
        errors.add("objective.dataset", f"dataset {dataset_id} does not exist")
    return dataset


def _directions(spec, objective, errors):
    natural = objectives.objective_direction(objective) if objective else None
    if "directions" in spec and "direction" in spec:
        errors.add("direction", "give either direction or directions, not both")
        return []
    raw = spec.get("directions")
    if raw is None:
        raw = [spec.get("direction") or natural or "minimize"]
    if not isinstance(raw, list) or not raw:
        errors.add("directions", 'directions must be a non-empty list such as ["maximize", "minimize"]')
        return []
    for direction in raw:
        if direction not in DIRECTIONS:
            field = "direction" if "direction" in spec else "directions"
            errors.add(field, f"{direction!r} is not a direction; use 'minimize' or 'maximize'")
            return []
    if natural and raw != [natural]:
        errors.add("direction", f"the metric of this objective is maximised or minimised by nature: use {natural!r}")
    if len(raw) > 1 and objective and objective.get("kind") != "external":
        errors.add("directions", "several objectives need an external objective that reports several values")
    return raw


def clean_objective_names(value, directions):
    """`value` as the objective_names of a study with these directions, or [] when they are absent
    or would be refused (for names from a file, which should not fail its import)."""
    errors = _Errors()
    names = _objective_names(value, directions, errors)
    return [] if errors.by_field else names


def _objective_names(value, directions, errors):
    if value is None or value == [] or not directions:  # [] is how the API shows an unnamed study's
        return []
    if not isinstance(value, list) or len(value) != len(directions):
        if len(directions) == 1:
            wanted = 'a list of 1 name, what the value measures, such as ["accuracy"]'
        else:
            wanted = f'a list of {len(directions)} names, one per direction, such as ["accuracy", "latency_ms"]'
        errors.add("objective_names", f"objective_names must be {wanted}")
        return []
    for i, name in enumerate(value):
        fault = "is not text" if not isinstance(name, str) or not name.strip() else label_fault(name.strip())
        if not fault and len(name.strip()) > MAX_OBJECTIVE_NAME:
            fault = f"is {len(name.strip())} characters long; at most {MAX_OBJECTIVE_NAME} are allowed"
        if fault:
            errors.add(f"objective_names[{i}]", f"objective_names[{i}] {fault}")
            return []
    names = [name.strip() for name in value]
    if len(set(names)) != len(names):
        errors.add("objective_names", "objective_names must differ from each other")
        return []
    return names


def _metric_name(objective):
    """A built-in model's value is its metric: a study given no name calls it by the metric's words
    ("root mean squared error"), as its summary does."""
    if objective and objective.get("kind") == "sklearn" and objective.get("metric"):
        return [objectives.metric_words(objective["metric"])]
    return []


def _budget(value, objective, errors):
    value = {} if value is None else value
    if not isinstance(value, dict):
        errors.add("budget", 'budget must be an object such as {"n_trials": 50, "parallelism": 2}')
        return {}
    for key in sorted(set(value) - BUDGET_KEYS):
        errors.add(f"budget.{key}", f"unknown budget field {key!r}")
    n_trials = _optional_int(value, "n_trials", 1, settings.TUNER_MAX_TRIALS_PER_STUDY, errors)
    timeout_s = _optional_int(value, "timeout_s", 1, 30 * 24 * 3600, errors)
    parallelism = _optional_int(value, "parallelism", 1, settings.TUNER_MAX_PARALLELISM, errors)
    is_external = objective is not None and objective.get("kind") == "external"
    if objective is not None and not is_external and n_trials is None and timeout_s is None:
        errors.add("budget", "a study that runs on workers needs n_trials or timeout_s, or it would never end")
    return {"n_trials": n_trials, "timeout_s": timeout_s, "parallelism": parallelism or 1}


def _stop_rules(value, directions, errors):
    """The budget's stop rules as stored on the study (engine.StopRules JSON), or None."""
    if not isinstance(value, dict):
        return None
    try:
        rules = StopRules.from_json(value)
    except StopRuleError as exc:
        for key, message in exc.errors:
            errors.add(f"budget.{key}", message)
        return None
    if rules.any and len(directions) > 1:
        given = next(key for key in ("target", "patience", "regret_bound") if value.get(key) not in (None, False))
        errors.add(f"budget.{given}", "stop rules watch one value; a study with several objectives cannot use them")
        return None
    return rules.to_json() if rules.any else None


def _liveness(spec, errors):
    grace = _optional_int(spec, "grace_period_s", 1, 7 * 24 * 3600, errors, prefix="")
    retries = _optional_int(spec, "retry_failed", 0, 10, errors, prefix="")
    return {
        "grace_period_s": settings.TUNER_GRACE_PERIOD_S if grace is None else grace,
        "retry_failed": settings.TUNER_RETRY_FAILED if retries is None else retries,
    }


def _optional_int(value, key, low, high, errors, prefix="budget."):
    raw = value.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        errors.add(f"{prefix}{key}", f"{key} must be a whole number, got {raw!r}")
        return None
    if not low <= raw <= high:
        errors.add(f"{prefix}{key}", f"{key} must be between {low} and {high}, got {raw}")
        return None
    return raw


def _search_space(value, objective, errors):
    if value is None and objective and objective.get("kind") == "sklearn":
        value = objectives.default_search_space(objective["estimator"], objective["task"])
    elif value is None and objective and objective.get("kind") == "function":
        value = objectives.default_function_space(objective["name"])
    if value is None:
        errors.add("search_space", "search_space is required for this objective")
        raise InvalidInput(errors.by_field)
    try:
        return SearchSpace.from_json(value)
    except SearchSpaceError as exc:
        for path, message in exc.errors:
            errors.add("search_space", f"{path}: {message}" if path else message)
        raise InvalidInput(errors.by_field) from None


def _sampler(value, space, directions, n_trials, errors):
    value = dict(DEFAULT_SAMPLER) if value is None else value
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        errors.add("sampler", 'sampler must be an object such as {"name": "random", "seed": 0}')
        return {}, 0
    settings_ = dict(value)
    seed = settings_.pop("seed", None)
    if settings_.get("name") == "auto" and n_trials is not None:
        settings_.setdefault("n_trials", n_trials)  # auto weighs the budget when it chooses
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        errors.add("sampler.seed", f"seed must be a whole number between 0 and {MAX_SEED}, got {seed!r}")
        return {}, 0
    try:
        make_sampler(settings_).check(space)
    except SamplerError as exc:
        errors.add("sampler", str(exc))
    return settings_, seed


def _pruner(value, errors):
    try:
        make_pruner(value)
    except PrunerError as exc:
        errors.add("pruner", str(exc))
    return value


def is_finite_number(value):
    """True for an int or float that is neither NaN nor infinite (bool is not a number here).

    An integer too wide for a float (JSON allows 400 digits) is not one: it would overflow.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


CHANGEABLE_BUDGET_KEYS = ("n_trials", "timeout_s", "parallelism")


def validate_budget_change(study, changes, now):
    """Check a change to the budget of a study that has not finished; return the fields to set.

    `changes` holds some of n_trials, timeout_s and parallelism (null lifts a count or a time
    limit). The count may not fall below the trials the study has made, nor the time limit below
    the time it has run; a study that runs on workers keeps a count or a time limit.

    Raises InvalidInput naming each field at fault (``budget.n_trials``, ...).
    """
    errors = _Errors()
    if not isinstance(changes, dict) or not changes:
        errors.add("budget", 'give the fields to change, e.g. {"n_trials": 80} or {"parallelism": 4}')
        errors.raise_if_any()
    for key in sorted(set(changes) - set(CHANGEABLE_BUDGET_KEYS)):
        errors.add(f"budget.{key}", f"{key} cannot be changed here; change n_trials, timeout_s or parallelism")
    fields = {}
    for key, high in (("n_trials", settings.TUNER_MAX_TRIALS_PER_STUDY), ("timeout_s", 30 * 24 * 3600),
                      ("parallelism", settings.TUNER_MAX_PARALLELISM)):
        if key in changes:
            fields[key] = _optional_int(changes, key, 1, high, errors)
    made = caps.n_own(study)
    if fields.get("n_trials") is not None and fields["n_trials"] < made:
        errors.add("budget.n_trials", f"n_trials must be at least {made}, the trials this study has made")
    ran_s = int((now - study.started_at).total_seconds()) if study.started_at else 0
    if fields.get("timeout_s") is not None and fields["timeout_s"] <= ran_s:
        errors.add("budget.timeout_s", f"timeout_s must be more than {ran_s}, the seconds this study has run")
    if "parallelism" in changes and changes["parallelism"] is None:  # a count or a limit may be lifted; this may not
        errors.add("budget.parallelism", "parallelism must be a whole number of at least 1")
    n_trials, timeout_s = fields.get("n_trials", study.n_trials), fields.get("timeout_s", study.timeout_s)
    if not study.is_external and n_trials is None and timeout_s is None:
        errors.add("budget", "a study that runs on workers needs n_trials or timeout_s, or it would never end")
    errors.raise_if_any()
    return fields
