"""Conditions: a parameter that exists only for some values of a categorical parent."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Condition:
    """A parameter exists only when the categorical ``parent`` takes one of ``values``.

    Args:
        parent: Name of a categorical parameter in the same space.
        values: Choices of the parent that activate the parameter (a list is converted to a tuple).
    """

    parent: str
    values: tuple

    def __post_init__(self):
        if isinstance(self.values, list):
            object.__setattr__(self, "values", tuple(self.values))

    def matches(self, value: Any) -> bool:
        """Whether the parent's value activates the parameter.

        Args:
            value: The parent's chosen value.

        Returns:
            True when ``value`` is one of ``values``; ``true`` never matches ``1`` here.
        """
        return any(same_choice(value, v) for v in self.values)

    def to_json(self) -> dict:
        """Serialise to the public JSON form.

        Returns:
            ``{parent: [values]}``, the public JSON form.
        """
        return {self.parent: list(self.values)}


def choice_key(value: Any) -> tuple:
    """The key a choice is matched under.

    Args:
        value: A string, number or boolean.

    Returns:
        A hashable key under which ``1`` and ``1.0`` are equal but ``true`` is apart,
        so a boolean never stands in for a number when values are matched.
    """
    return (isinstance(value, bool), value)


def same_choice(a: Any, b: Any) -> bool:
    """Whether two values match as choices.

    Args:
        a, b: Values.

    Returns:
        Whether they match as choices (see ``choice_key``).
    """
    return isinstance(a, (str, numbers.Real)) and choice_key(a) == choice_key(b)
