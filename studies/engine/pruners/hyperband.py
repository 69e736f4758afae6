"""Hyperband (Li et al. 2018): several brackets of successive halving, each starting at another budget."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..errors import PrunerError
from ..specs import int_option
from ..trial import TrialRecord
from .base import Pruner
from .halving import halving_verdict, rung_steps


@dataclass(frozen=True)
class Bracket:
    """One Hyperband bracket, as in Li et al.'s table.

    Args:
        s: The bracket index (s_max for the most aggressive, 0 for plain full runs).
        n_trials: n_i, the trials alive at each rung i = 0..s.
        resources: r_i, the steps each of them reaches.
    """

    s: int
    n_trials: tuple
    resources: tuple


@lru_cache(maxsize=64)  # asked for every trial in the history at each report
def hyperband_brackets(min_resource: int, max_resource: int, reduction_factor: int) -> tuple:
    """The brackets of Hyperband, from s_max down to 0.

    With R = max_resource / min_resource and s_max = floor(log_eta R), bracket s starts
    n = ceil((s_max + 1) / (s + 1) * eta**s) trials at r = max_resource * eta**-s, and
    rung i keeps floor(n * eta**-i) of them at r * eta**i.

    Args:
        min_resource: The smallest step a bracket starts at.
        max_resource: The step a finished trial reaches.
        reduction_factor: eta.

    Returns:
        Tuple of ``Bracket``, s descending.

    Example:
        >>> [b.n_trials[0] for b in hyperband_brackets(1, 81, 3)]
        [81, 34, 15, 8, 5]
    """
    eta = reduction_factor
    s_max = 0
    while min_resource * eta ** (s_max + 1) <= max_resource:
        s_max += 1
    brackets = []
    for s in range(s_max, -1, -1):
        n = -(-((s_max + 1) * eta**s) // (s + 1))
        resources = tuple(_tidy(max_resource * eta ** (i - s)) for i in range(s + 1))
        brackets.append(Bracket(s, tuple(n // eta**i for i in range(s + 1)), resources))
    return tuple(brackets)


class HyperbandPruner(Pruner):
    """Hyperband over asynchronous successive halving.

    Each trial joins one bracket, chosen by a stable hash of its number with odds in
    proportion to each bracket's starting trials, so every worker agrees without
    storing anything. In bracket s the trial is judged by successive halving against
    the other trials of that bracket only, at steps r_s, r_s * eta, ... below
    ``max_resource``; bracket 0 never prunes. Mixing aggressive and patient brackets
    hedges against curves whose early ranking misleads.

    Args:
        min_resource: The first rung of the most aggressive bracket (default 1).
        max_resource: The step a complete trial reaches (default 81).
        reduction_factor: eta (default 3).

    Example:
        >>> HyperbandPruner().bracket_of(0).s in range(5)
        True
    """

    name = "hyperband"

    title = "Hyperband"
    describe = "Runs successive halving in several brackets, from aggressive to patient, and spreads trials over them."
    options = {"min_resource": 1, "max_resource": 81, "reduction_factor": 3}

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        checked = {
            "min_resource": int_option(options, "min_resource", 1, PrunerError),
            "max_resource": int_option(options, "max_resource", 1, PrunerError),
            "reduction_factor": int_option(options, "reduction_factor", 2, PrunerError),
        }
        if checked["max_resource"] < checked["min_resource"]:
            raise PrunerError(
                f"max_resource must be at least min_resource ({checked['min_resource']}), not {checked['max_resource']}"
            )
        return checked

    @property
    def brackets(self) -> tuple:
        """The brackets; see ``hyperband_brackets``."""
        return hyperband_brackets(self.min_resource, self.max_resource, self.reduction_factor)

    def bracket_of(self, number: int) -> Bracket:
        """The bracket of trial ``number``.

        Args:
            number: The trial number.

        Returns:
            Its ``Bracket``; the same on every worker (CRC-32 of the number, not ``hash``,
            which Python salts per process).
        """
        brackets = self.brackets
        total = sum(b.n_trials[0] for b in brackets)
        ticket = zlib.crc32(str(number).encode()) % total
        for bracket in brackets:
            ticket -= bracket.n_trials[0]
            if ticket < 0:
                return bracket
        return brackets[-1]

    def should_prune(self, trial: TrialRecord, trials: Sequence[TrialRecord], directions: Sequence[str]) -> bool:
        """See ``Pruner.should_prune``.

        Raises:
            PrunerError: For a multi-objective study.
        """
        self.check(directions)
        bracket = self.bracket_of(trial.number)
        if bracket.s == 0:
            return False

        def rungs(up_to):
            return rung_steps(bracket.resources[0], self.reduction_factor, up_to, below=self.max_resource)

        def same_bracket(other):
            return self.bracket_of(other.number).s == bracket.s

        return halving_verdict(trial, trials, directions, rungs, self.reduction_factor, same_bracket)


def _tidy(resource: float):
    return int(resource) if float(resource).is_integer() else resource
