"""Parsing of ``"name"`` or ``{"name": ..., **options}`` specs, shared by samplers and pruners."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar, Mapping

from .messages import show


def split_spec(spec: Any, kind: str, registry: Mapping[str, type], error: type) -> tuple:
    """Find the class a spec names and the options it gives.

    Args:
        spec: A name string or a mapping with a ``"name"`` key.
        kind: "sampler" or "pruner", for messages.
        registry: Name -> class.
        error: The exception class to raise.

    Returns:
        ``(cls, options)`` with ``options`` a new dict without ``"name"``.

    Raises:
        error: When the spec has no name, names an unknown class, or has the wrong shape.
    """
    if isinstance(spec, str):
        name, options = spec, {}
    elif isinstance(spec, Mapping):
        options = dict(spec)
        if "name" not in options:
            raise error(f'a {kind} spec needs a "name" ({", ".join(registry)})')
        name = options.pop("name")
    else:
        raise error(f'a {kind} must be a name or an object with a "name", not {show(spec)}')
    cls = registry.get(name) if isinstance(name, str) else None
    if cls is None:
        raise error(f"unknown {kind} {show(name)}; use one of {', '.join(registry)}")
    return cls, options


def check_option_names(cls: type, options: Mapping, kind: str, error: type) -> None:
    """Refuse option names the class does not declare.

    Args:
        cls: The sampler or pruner class (its ``options`` and ``name``).
        options: The options given in the spec.
        kind: "sampler" or "pruner", for messages.
        error: The exception class to raise.

    Raises:
        error: Naming the first unknown option and the ones the class takes.
    """
    for key in options:
        if key not in cls.options:
            allowed = ", ".join(cls.options) or "no options"
            raise error(f"unknown option {show(key)} for the {cls.name} {kind}; it takes {allowed}")


def int_option(options: Mapping, key: str, minimum: int, error: type) -> int:
    """Read an integer option.

    Args:
        options: The options, defaults filled in.
        key: The option name.
        minimum: The smallest value allowed.
        error: The exception class to raise.

    Returns:
        The value as an int (an integral float such as ``4.0`` is accepted, a boolean is not).

    Raises:
        error: When it is not an integer of at least ``minimum``.
    """
    value = options[key]
    integral = isinstance(value, numbers.Integral) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not integral or value < minimum:
        raise error(f"{key} must be an integer of at least {minimum}, not {show(value)}")
    return int(value)


class Configurable:
    """Base of samplers and pruners: a named class built from a dict of options.

    ``__init__`` only stores the settings (by keyword, defaults from ``options``);
    ``from_options`` checks the values first (through ``_checked_options``), so bad JSON
    never reaches ``__init__``. A subclass that derives state from its settings defines
    its own ``__init__``.

    Class attributes:
        name: The short name used in JSON specs.
        describe: A one-line plain explanation for the UI.
        options: Option name -> default.
    """

    name: ClassVar[str]
    describe: ClassVar[str]
    options: ClassVar[dict] = {}

    def __init__(self, **settings):
        unknown = sorted(set(settings) - set(self.options))
        if unknown:
            raise TypeError(f"{type(self).__name__} has no option {unknown[0]!r}")
        for key, default in self.options.items():
            setattr(self, key, settings.get(key, default))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]):
        """Check option values and build an instance.

        Args:
            options: Known option names only (the factory has checked the names).

        Returns:
            The instance, with defaults for options left out.

        Raises:
            SamplerError or PrunerError: When an option value is invalid.
        """
        return cls(**cls._checked_options({**cls.options, **options}))

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        return options

    def __repr__(self) -> str:
        settings = ", ".join(f"{key}={getattr(self, key)!r}" for key in self.options)
        return f"{type(self).__name__}({settings})"
