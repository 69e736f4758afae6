"""Optuna's distributions and our search space, mapped both ways on plain JSON.

Optuna serialises a distribution as ``{"name": "FloatDistribution", "attributes": {...}}``
(``optuna.distributions.distribution_to_json``). The mapping works on that form, so it needs
no Optuna here: the service that reads or writes Optuna storage converts at its edge.

Optuna keeps a distribution per trial and has no conditions: a parameter that only some
trials set is how its conditional parameters look. A Tuner space has one range per parameter
and says when a parameter applies, so importing merges the ranges and finds, for each
parameter set in only some trials, the categorical parameter whose value decides it.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence, Tuple

from .condition import choice_key
from .errors import SearchSpaceError
from .messages import show
from .params import CategoricalParam, FloatParam, Param
from .space import SearchSpace

_KINDS = {"FloatDistribution": "float", "IntDistribution": "int", "CategoricalDistribution": "categorical"}


def space_from_optuna(trials: Sequence[Tuple[Mapping[str, Any], Mapping[str, Mapping]]]) -> SearchSpace:
    """Build the search space that holds every given Optuna trial.

    Args:
        trials: One ``(params, distributions)`` pair per trial: the trial's param values and
            the JSON form of the distribution of each, as Optuna stored them.

    Returns:
        The space: per parameter the union of its ranges (or choices) over the trials; a
        float or int that never varied (low equal to high) becomes a categorical of its one
        value; a parameter set in only some trials is conditioned on the categorical
        parameter whose values tell when it is set.

    Raises:
        SearchSpaceError: With one ``(name, message)`` per parameter that cannot be mapped: a
            distribution Tuner does not know, one whose type, log or step changes between
            trials, a parameter set in only some trials when no categorical tells when, and
            whatever the space itself refuses (a name that is not an identifier, a choice such
            as null).

    Example:
        >>> x = {"name": "FloatDistribution", "attributes": {"low": 0, "high": 1, "log": False, "step": None}}
        >>> space_from_optuna([({"x": 0.5}, {"x": x})]).to_json()
        {'x': {'type': 'float', 'low': 0.0, 'high': 1.0}}
    """
    specs, errors = {}, []
    for name, found in _distributions_by_name(trials).items():
        try:
            specs[name] = _merged(name, found)
        except SearchSpaceError as exc:
            errors.extend(exc.errors)
    for name in list(specs):
        condition = _condition(name, specs, trials)
        if condition is False:
            errors.append((name, f"parameter {show(name)} is set in only some trials and no categorical parameter "
                                 "tells when; Tuner's search space cannot say when it applies"))
        elif condition is not None:
            specs[name]["condition"] = condition
    if errors:
        raise SearchSpaceError(errors)
    return SearchSpace.from_json(specs)


def optuna_distribution(param: Param) -> dict:
    """The JSON form of the Optuna distribution that samples like ``param``.

    Args:
        param: A parameter of a Tuner search space (its condition plays no part: Optuna
            has none, a trial simply leaves an inactive parameter out).

    Returns:
        ``{"name": ..., "attributes": ...}`` as ``optuna.distributions.json_to_distribution`` reads it.
    """
    if isinstance(param, CategoricalParam):
        return {"name": "CategoricalDistribution", "attributes": {"choices": list(param.choices)}}
    name = "FloatDistribution" if isinstance(param, FloatParam) else "IntDistribution"
    return {"name": name, "attributes": {"low": param.low, "high": param.high, "log": param.log, "step": param.step}}


def _distributions_by_name(trials) -> dict:
    found = {}
    for number, (_, distributions) in enumerate(trials):
        for name, distribution in distributions.items():
            found.setdefault(name, []).append((number, distribution))
    return found


def _merged(name: str, found: list) -> dict:
    kinds = set()
    for _, distribution in found:
        kind = _KINDS.get(distribution.get("name")) if isinstance(distribution, Mapping) else None
        if kind is None:
            raise SearchSpaceError([(name, f"parameter {show(name)} uses a distribution Tuner does not know: "
                                           f"{show(distribution.get('name') if isinstance(distribution, Mapping) else distribution)}")])
        kinds.add(kind)
    if len(kinds) > 1:
        raise SearchSpaceError([(name, f"parameter {show(name)} changes type between trials "
                                       f"({', '.join(sorted(kinds))}); Tuner needs one type per parameter")])
    attributes = [distribution.get("attributes") or {} for _, distribution in found]
    if kinds == {"categorical"}:
        return {"type": "categorical", "choices": _union_of_choices(attributes)}
    return _merged_range(name, kinds.pop(), attributes)


def _union_of_choices(attributes: list) -> list:
    choices, seen = [], set()
    for attrs in attributes:
        for choice in attrs.get("choices") or ():
            key = choice_key(choice) if isinstance(choice, (str, int, float, bool)) else repr(choice)
            if key not in seen:
                seen.add(key)
                choices.append(choice)
    return choices


def _merged_range(name: str, kind: str, attributes: list) -> dict:
    shapes = {(bool(attrs.get("log")), attrs.get("step")) for attrs in attributes}
    if len(shapes) > 1:
        raise SearchSpaceError([(name, f"parameter {show(name)} changes its log or step setting between trials; "
                                       "Tuner needs one range per parameter")])
    (log, step), = shapes
    low = min(attrs.get("low") for attrs in attributes)
    high = max(attrs.get("high") for attrs in attributes)
    if low == high:
        # Optuna allows a range of one value (a parameter held fixed); Tuner's ranges are wider.
        return {"type": "categorical", "choices": [low]}
    spec = {"type": kind, "low": low, "high": high, "log": log}
    if step is not None and not (kind == "int" and step == 1):
        spec["step"] = step
    return spec


def _condition(name: str, specs: dict, trials) -> Any:
    """None when every trial sets ``name``; the condition that tells when it is set; False if none does."""
    setting = [params for params, _ in trials if name in params]
    if len(setting) == len(trials):
        return None
    leaving = [params for params, _ in trials if name not in params]
    for parent, spec in specs.items():
        if parent == name or spec["type"] != "categorical":
            continue
        if any(parent not in params for params in setting):
            continue
        values_with = {choice_key(params[parent]): params[parent] for params in setting}
        values_without = {choice_key(params[parent]) for params in leaving if parent in params}
        # A parent present without the child is the witness that rules out a circle of conditions.
        if values_without and not values_without & set(values_with):
            return {parent: list(values_with.values())}
    return False
