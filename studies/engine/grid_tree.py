"""Mixed-radix numbering of a search space's grid, following its condition tree.

The grid is never listed. Each parameter's subtree has a size: a numeric
parameter has ``n_grid`` values; a categorical one has, for each choice, the
product of the sizes of the children that choice activates, summed over the
choices. Unconditional parameters multiply. An index decodes into one point by
peeling off digits in that structure, and a point encodes back the same way, so
grids of 10**30 points cost no more than small ones.
"""

from __future__ import annotations

from bisect import bisect_right
from math import prod
from typing import Any, Mapping, Union

from .params import CategoricalParam


class GridTree:
    """The grid of one search space at one ``grid_points`` setting.

    Args:
        space: A ``SearchSpace``.
        grid_points: How many values a float without step takes (at least 2).

    Attributes:
        size: The number of grid points, an exact Python int.
    """

    def __init__(self, space, grid_points: int):
        self._grid_points = grid_points
        self._params = space.params
        self._children = _children_by_choice(space.params)
        self._roots = tuple(p for p in space.params if p.condition is None)
        self._sizes = {}
        self._offsets = {}
        # Parents precede children in space.params, so the reverse visits children first.
        for param in reversed(space.params):
            self._sizes[param.name] = self._subtree_size(param)
        self.size = prod(self._sizes[p.name] for p in self._roots)

    def point(self, index: int) -> dict:
        """Decode one grid index.

        Args:
            index: An int in ``range(size)``.

        Returns:
            The active params of that point, in ``space.params`` order, as native Python values.
        """
        found = {}
        self._decode(self._roots, index, found)
        return {p.name: found[p.name] for p in self._params if p.name in found}

    def index(self, params: Mapping[str, Any]) -> Union[int, None]:
        """Encode params back into a grid index.

        Args:
            params: A trial's params; names the grid does not use are ignored.

        Returns:
            The index, or None when some active value is missing or not a grid value
            (a manual trial off the grid, or a history from an older space).
        """
        return self._encode(self._roots, params)

    def _subtree_size(self, param) -> int:
        if not isinstance(param, CategoricalParam):
            return param.n_grid(self._grid_points)
        offsets = [0]
        for i in range(len(param.choices)):
            block = prod(self._sizes[c.name] for c in self._children.get((param.name, i), ()))
            offsets.append(offsets[-1] + block)
        self._offsets[param.name] = offsets
        return offsets[-1]

    def _decode(self, group, index: int, found: dict) -> None:
        for param in group:
            index, digit = divmod(index, self._sizes[param.name])
            if not isinstance(param, CategoricalParam):
                found[param.name] = param.grid_value(digit, self._grid_points)
                continue
            offsets = self._offsets[param.name]
            i = bisect_right(offsets, digit) - 1
            found[param.name] = param.choices[i]
            self._decode(self._children.get((param.name, i), ()), digit - offsets[i], found)

    def _encode(self, group, params: Mapping[str, Any]) -> Union[int, None]:
        index, radix = 0, 1
        for param in group:
            digit = self._encode_one(param, params)
            if digit is None:
                return None
            index += digit * radix
            radix *= self._sizes[param.name]
        return index

    def _encode_one(self, param, params: Mapping[str, Any]) -> Union[int, None]:
        if param.name not in params:
            return None
        position = param.grid_position(params[param.name], self._grid_points)
        if position is None or not isinstance(param, CategoricalParam):
            return position
        inner = self._encode(self._children.get((param.name, position), ()), params)
        return None if inner is None else self._offsets[param.name][position] + inner


def _children_by_choice(params) -> dict:
    by_name = {p.name: p for p in params}
    children = {}
    for param in params:
        if param.condition is None:
            continue
        parent = by_name[param.condition.parent]
        for value in param.condition.values:
            children.setdefault((parent.name, parent.index_of(value)), []).append(param)
    return children
