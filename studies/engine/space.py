"""The search space: named parameters, their conditions, and checks across them."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Union

from .errors import SearchSpaceError
from .grid_tree import GridTree
from .messages import show
from .checks import name_fault
from .params import CategoricalParam, Param, param_from_json

MAX_PARAMS = 100


class SearchSpace:
    """An immutable set of parameters, ordered so every condition parent precedes its children.

    Args:
        params: Parameter objects (``FloatParam``, ``IntParam``, ``CategoricalParam``).

    Raises:
        SearchSpaceError: When the set is empty, larger than 100, repeats a name, or has a
            condition on a missing or non-categorical parent, on values the parent cannot
            take, or in a cycle.

    Attributes:
        params: Tuple of the parameters, parents before children, otherwise as declared.

    Example:
        >>> space = SearchSpace.from_json({"depth": {"type": "int", "low": 2, "high": 12}})
        >>> space.names, len(space)
        (('depth',), 1)
    """

    def __init__(self, params: Iterable[Param]):
        declared = tuple(params)
        errors = list(_size_faults(len(declared)))
        errors += _duplicate_faults(declared)
        errors += _cross_param_faults(declared, known={p.name for p in declared})
        if errors:
            raise SearchSpaceError(errors)
        self._declared = declared
        self._by_name = {p.name: p for p in declared}
        self.params = _parents_first(declared)

    @classmethod
    def from_json(cls, obj: Any) -> "SearchSpace":
        """Parse the public JSON format (name -> spec).

        Args:
            obj: The decoded JSON value.

        Returns:
            The search space.

        Raises:
            SearchSpaceError: With every fault found, each as ``(path, message)``; a spec
                whose name is invalid is reported by name only, not checked further.

        Example:
            >>> SearchSpace.from_json({"lr": {"type": "float", "low": 1, "high": 0}})
            Traceback (most recent call last):
            ...
            studies.engine.errors.SearchSpaceError: lr.low: low must be less than high
        """
        if not isinstance(obj, Mapping):
            message = f"the search space must be a JSON object mapping names to specs, not {show(obj)}"
            raise SearchSpaceError([("", message)])
        size_errors = list(_size_faults(len(obj)))
        if size_errors:
            raise SearchSpaceError(size_errors)
        errors, parsed = [], []
        for name, spec in obj.items():
            fault = name_fault(name)
            if fault:
                errors.append(("", fault))
                continue
            try:
                parsed.append(param_from_json(name, spec))
            except SearchSpaceError as err:
                errors.extend(err.errors)
        errors += _cross_param_faults(parsed, known=set(obj))
        if errors:
            raise SearchSpaceError(errors)
        return cls(parsed)

    def to_json(self) -> dict:
        """Serialise to the public JSON form.

        Returns:
            The public JSON form, in declaration order; ``from_json`` gives an equal space back.
        """
        return {p.name: p.to_json() for p in self._declared}

    @property
    def names(self) -> tuple:
        """Tuple of parameter names in ``params`` order."""
        return tuple(p.name for p in self.params)

    def __getitem__(self, name: str) -> Param:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __len__(self) -> int:
        return len(self.params)

    def __iter__(self) -> Iterator[Param]:
        return iter(self.params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchSpace) and self._by_name == other._by_name

    def __hash__(self) -> int:
        return hash(frozenset(self._by_name.items()))

    def __repr__(self) -> str:
        return f"SearchSpace.from_json({self.to_json()!r})"

    def is_active(self, param: Union[Param, str], params: Mapping[str, Any]) -> bool:
        """Whether a parameter exists given the values chosen for its ancestors.

        Args:
            param: A parameter of this space, or its name.
            params: Values chosen so far (at least for the ancestors).

        Returns:
            True when every condition up the chain holds; False when one fails or an
            ancestor has no value.
        """
        current = self[param] if isinstance(param, str) else param
        while current.condition is not None:
            parent = current.condition.parent
            if parent not in params or not current.condition.matches(params[parent]):
                return False
            current = self._by_name[parent]
        return True

    def validate_params(self, params: Any) -> dict:
        """Check a user-given assignment, such as a manual trial.

        Args:
            params: Mapping of name -> value.

        Returns:
            The active params in ``params`` order, normalised: ints as int, floats as float
            (snapped onto the step grid), choices as stored in the space.

        Raises:
            SearchSpaceError: With one ``(name, message)`` per fault: an active parameter
                missing or out of range, off its step grid or not a choice; an inactive or
                unknown name given. Children of a parent whose value is wrong are not judged.
        """
        if not isinstance(params, Mapping):
            raise SearchSpaceError([("", f"params must be an object mapping names to values, not {show(params)}")])
        errors, clean, undecided = [], {}, set()
        for param in self.params:
            active = self._activity(param, clean, undecided)
            if active is None:
                undecided.add(param.name)
            elif not active:
                if param.name in params:
                    errors.append((param.name, _inactive_message(param)))
            elif param.name not in params:
                errors.append((param.name, "a value is required: the parameter is active"))
                undecided.add(param.name)
            else:
                try:
                    clean[param.name] = param.validate_value(params[param.name])
                except SearchSpaceError as err:
                    errors.extend(err.errors)
                    undecided.add(param.name)
        errors += [(str(name)[:100], f"unknown parameter {show(name)}") for name in params if name not in self._by_name]
        if errors:
            raise SearchSpaceError(errors)
        return clean

    def grid_size(self, grid_points: int = 10) -> int:
        """Count the grid points arithmetically, without listing them.

        Args:
            grid_points: Values taken by a float without step (log-spaced when log), at least 2.

        Returns:
            The exact number of points; conditional parameters multiply only within the
            branches that activate them.

        Raises:
            ValueError: When ``grid_points`` is not an int of at least 2.
        """
        return GridTree(self, _checked_grid_points(grid_points)).size

    def grid_point(self, index: int, grid_points: int = 10) -> dict:
        """Decode one grid index (mixed radix over the condition tree).

        Args:
            index: An int in ``range(grid_size(grid_points))``.
            grid_points: As for ``grid_size``.

        Returns:
            The active params of that point as native Python values.

        Raises:
            ValueError: When ``grid_points`` is invalid.
            IndexError: When ``index`` is outside the grid.
        """
        tree = GridTree(self, _checked_grid_points(grid_points))
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < tree.size:
            raise IndexError(f"grid index {show(index)} is outside 0..{tree.size - 1}")
        return tree.point(index)

    def _activity(self, param: Param, clean: dict, undecided: set) -> Union[bool, None]:
        condition = param.condition
        if condition is None:
            return True
        if condition.parent in undecided:
            return None
        return condition.parent in clean and condition.matches(clean[condition.parent])


def _checked_grid_points(grid_points: Any) -> int:
    if isinstance(grid_points, bool) or not isinstance(grid_points, int) or grid_points < 2:
        raise ValueError(f"grid_points must be an integer of at least 2, not {show(grid_points)}")
    return grid_points


def _inactive_message(param: Param) -> str:
    values = " or ".join(show(v) for v in param.condition.values)
    return f"the parameter does not apply here: it is used only when {param.condition.parent} is {values}"


def _size_faults(n_params: int) -> Iterator[tuple]:
    if n_params == 0:
        yield "", "the search space is empty; add at least one parameter"
    elif n_params > MAX_PARAMS:
        yield "", f"the search space has {n_params} parameters; at most {MAX_PARAMS} are allowed"


def _duplicate_faults(params: tuple) -> list:
    seen, errors = set(), []
    for param in params:
        if param.name in seen:
            errors.append((param.name, f"parameter {show(param.name)} is declared twice"))
        seen.add(param.name)
    return errors


def _cross_param_faults(params, known: set) -> list:
    """Faults of conditions across parameters; ``known`` holds every declared name,
    including those whose own spec failed (their children are then not judged)."""
    by_name = {p.name: p for p in params}
    errors = []
    for param in params:
        if param.condition is not None:
            fault = _parent_fault(param, by_name, known)
            if fault:
                errors.append((f"{param.name}.condition", fault))
    return errors + _cycle_faults(params, by_name)


def _parent_fault(param: Param, by_name: dict, known: set) -> Union[str, None]:
    parent_name = param.condition.parent
    if parent_name == param.name:
        return "a parameter cannot be conditioned on itself"
    if parent_name not in known:
        return f"condition parent {show(parent_name)} is not a parameter of this space"
    parent = by_name.get(parent_name)
    if parent is None:
        return None
    if not isinstance(parent, CategoricalParam):
        return (
            f"condition parent {show(parent_name)} is a {parent.TYPE} parameter; "
            "conditions can only test categorical parameters"
        )
    missing = [v for v in param.condition.values if parent.index_of(v) is None]
    if missing:
        shown = ", ".join(show(v) for v in missing)
        return f"condition values {shown} are not choices of {show(parent_name)}"
    return None


def _cycle_faults(params, by_name: dict) -> list:
    parent_of = {
        p.name: p.condition.parent
        for p in params
        if p.condition is not None and p.condition.parent in by_name and p.condition.parent != p.name
    }
    errors, done = [], set()
    for param in params:
        path, node = [], param.name
        while node in parent_of and node not in done and node not in path:
            path.append(node)
            node = parent_of[node]
        if node in path:
            cycle = path[path.index(node):]
            errors.append((f"{cycle[0]}.condition", "conditions form a cycle: " + " -> ".join(cycle + [cycle[0]])))
        done.update(path)
    return errors


def _parents_first(declared: tuple) -> tuple:
    """Declared order, except that a child declared before its parent waits for it."""
    ordered, placed, waiting = [], set(), {}

    def place(param):
        ordered.append(param)
        placed.add(param.name)
        for child in waiting.pop(param.name, ()):
            place(child)

    for param in declared:
        parent = None if param.condition is None else param.condition.parent
        if parent is None or parent in placed:
            place(param)
        else:
            waiting.setdefault(parent, []).append(param)
    return tuple(ordered)
