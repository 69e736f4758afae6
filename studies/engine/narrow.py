"""A narrower search space inside a study's own: the space of a child study that continues it.

A child space keeps every parameter of its parent with the same type, scale, step and
condition parent; it may only move numeric bounds inwards, keep fewer choices, and keep
fewer of the values a condition is active for. Then every point of the child space is a
point of the parent's, so the parent's trials that fit the child space can be inherited.
"""

from __future__ import annotations

from typing import Any, Mapping

from .condition import choice_key, same_choice
from .errors import SearchSpaceError
from .messages import show
from .params import CategoricalParam, FloatParam, IntParam
from .space import SearchSpace


def narrowed_space(parent: SearchSpace, changes: Any) -> SearchSpace:
    """The parent space with some parameters narrowed, checked to lie inside the parent's.

    Args:
        parent: The parent study's search space.
        changes: Name -> spec (the public JSON form) for the parameters to narrow. A
            parameter left out is kept as in the parent, its condition reduced to the
            choices its categorical parent still has; it is dropped when none is left (it
            could never be active), and so are the parameters that depend on it.

    Returns:
        The child's search space.

    Raises:
        SearchSpaceError: With every fault as ``(path, message)``, paths such as
            ``"x.high"`` or ``"kernel.choices"``: a spec that does not parse, an unknown
            parameter, or a part of the space outside the parent's.

    Example:
        >>> parent = SearchSpace.from_json({"x": {"type": "float", "low": 0, "high": 1}})
        >>> narrowed_space(parent, {"x": {"type": "float", "low": 0.2, "high": 0.5}}).to_json()
        {'x': {'type': 'float', 'low': 0.2, 'high': 0.5}}
        >>> narrowed_space(parent, {"x": {"type": "float", "low": 0.2, "high": 2}})
        Traceback (most recent call last):
        ...
        studies.engine.errors.SearchSpaceError: x.high: high 2.0 is above the parent study's high (1.0)
    """
    if not isinstance(changes, Mapping):
        raise SearchSpaceError([("", f"the search space must be an object mapping names to specs, not {show(changes)}")])
    unknown = [(str(name)[:100], f"unknown parameter {show(name)}: the parent study's space has no such parameter")
               for name in changes if name not in parent]
    if unknown:
        raise SearchSpaceError(unknown)
    child = SearchSpace.from_json(_kept(parent, changes))
    faults = narrowing_faults(parent, child)
    if faults:
        raise SearchSpaceError(faults)
    return child


def _kept(parent, changes):
    """The parent's specs with `changes` over them; the conditions of the parameters left out
    follow their categorical parent's remaining choices, and a parameter that can no longer be
    active is dropped (repeated, so a chain of conditions goes with it)."""
    merged = {**parent.to_json(), **changes}
    while True:
        dropped = False
        for name, spec in list(merged.items()):
            if name in changes or "condition" not in spec:
                continue
            (on, values), = spec["condition"].items()
            holder = merged.get(on)
            if holder is not None and not (isinstance(holder, Mapping) and isinstance(holder.get("choices"), list)):
                continue  # a malformed or non-categorical spec given for the parent: from_json names it
            left = [v for v in values if holder is not None and any(same_choice(v, c) for c in holder["choices"])]
            if left:
                merged[name] = {**spec, "condition": {on: left}}
            else:
                del merged[name]
                dropped = True
        if not dropped:
            return merged


def narrowing_faults(parent: SearchSpace, child: SearchSpace) -> list:
    """Where a space is not inside another.

    Args:
        parent: The wider space.
        child: The space that should lie inside it.

    Returns:
        ``(path, message)`` per fault, in the parent's parameter order; empty when every
        point of ``child`` is a point of ``parent`` with the same parameters active.
    """
    faults = [(name, "the narrower space must keep every parameter of the parent study")
              for name in parent.names if name not in child and _reachable(parent[name], child)]
    faults += [(name, f"unknown parameter {show(name)}: the parent study's space has no such parameter")
               for name in child.names if name not in parent]
    for param in parent:
        if param.name in child:
            faults += _param_faults(param, child[param.name])
    return faults


def _reachable(param, child) -> bool:
    """Whether a parameter could be active in the child: a conditional one only while its
    parent is there with a choice that activates it."""
    if param.condition is None:
        return True
    on = param.condition.parent
    return on in child and isinstance(child[on], CategoricalParam) and any(
        param.condition.matches(choice) for choice in child[on].choices)


def _param_faults(wide, narrow) -> list:
    if type(wide) is not type(narrow):
        return [(f"{wide.name}.type", f"type must stay {wide.TYPE}, as in the parent study")]
    faults = _condition_faults(wide, narrow)
    if isinstance(wide, CategoricalParam):
        kept = {choice_key(c) for c in wide.choices}
        extra = [c for c in narrow.choices if choice_key(c) not in kept]
        if extra:
            faults.append((f"{wide.name}.choices", f"{', '.join(show(c) for c in extra)} "
                                                   f"{'is not a choice' if len(extra) == 1 else 'are not choices'} "
                                                   "of the parent study"))
        return faults
    return faults + _bound_faults(wide, narrow)


def _bound_faults(wide, narrow) -> list:
    name, faults = wide.name, []
    if narrow.low < wide.low:
        faults.append((f"{name}.low", f"low {show(narrow.low)} is below the parent study's low ({show(wide.low)})"))
    if narrow.high > wide.high:
        faults.append((f"{name}.high", f"high {show(narrow.high)} is above the parent study's high ({show(wide.high)})"))
    if narrow.log != wide.log:
        faults.append((f"{name}.log", f"log must stay {str(wide.log).lower()}, as in the parent study"))
    if narrow.step != wide.step:
        faults.append((f"{name}.step", f"step must stay {show(wide.step)}, as in the parent study"))
    elif narrow.step is not None and not faults and not _on_grid(wide, narrow.low):
        faults.append((f"{name}.low", f"low {show(narrow.low)} is not on the parent study's step grid "
                                      f"(low {show(wide.low)}, step {show(wide.step)})"))
    return faults


def _on_grid(wide, value) -> bool:
    if isinstance(wide, IntParam):
        return (value - wide.low) % wide.step == 0
    assert isinstance(wide, FloatParam)
    try:
        wide.validate_value(value)  # snaps a value float error put just off the grid; raises when it is off
        return True
    except SearchSpaceError:
        return False


def _condition_faults(wide, narrow) -> list:
    if wide.condition is None and narrow.condition is None:
        return []
    path = f"{wide.name}.condition"
    if wide.condition is None or narrow.condition is None or wide.condition.parent != narrow.condition.parent:
        return [(path, "the condition must stay as in the parent study"
                       + (f" (on {wide.condition.parent})" if wide.condition else " (none)"))]
    kept = {choice_key(v) for v in wide.condition.values}
    extra = [v for v in narrow.condition.values if choice_key(v) not in kept]
    if extra:
        return [(path, f"the parameter is active only for {', '.join(show(v) for v in wide.condition.values)} "
                       f"of {wide.condition.parent} in the parent study, not {', '.join(show(v) for v in extra)}")]
    return []
