"""The default sampler: picks one of the engine's samplers for the study and explains why."""

from __future__ import annotations

from typing import NamedTuple, Sequence, Union

import numpy as np

from ..errors import SamplerError
from ..params import CategoricalParam
from ..space import SearchSpace
from ..specs import int_option
from .base import Directions, History, Sampler
from .cma import CMAESSampler
from .gp import GPSampler
from .nsga2 import NSGA2Sampler
from .tpe import TPESampler

# Beyond about six dimensions a budget of a hundred or so trials no longer pins a
# Gaussian process's length scales down, and TPE did better than the plain kernel
# (bench/README.md: GP won on Branin, Hartmann6 and Ackley 6-D, lost to TPE on Rosenbrock
# and Styblinski-Tang 8-D); past it auto sets the GP's additive part (_MANY_NUMBERS_GP).
_GP_MAX_PARAMS = 6
# NSGA-II needs a few generations of about 50 trials before it beats TPE's model.
_NSGA2_MIN_TRIALS = 300
# CMA-ES learns a covariance over all parameters; it pays off with a budget of a few
# hundred trials and at least two continuous dimensions. Below that budget GP serves up to
# six numbers: at 300 trials it beat our TPE on Branin and Hartmann6 and trailed it by
# 1.14x on Ackley 6-D, and it split with CMA-ES (Hartmann6 GP, Ackley CMA-ES), so CMA-ES
# keeps 300 and more (bench/README.md, "Auto past 200 trials"). A GP ask costs about
# 0.3 s of CPU at 1,000 trials, so its speed no longer sets the line.
_CMAES_MIN_TRIALS = 300
# Past six numbers (below the CMA-ES budget; measured on spaces of floats only) a GP whose kernel adds
# one-parameter effects and whose losses' scale (plain or log) is chosen by the evidence at
# each ask beat separable TPE on Levy 10-D, both Styblinski-Tangs and Rosenbrock 8-D
# (bench/README.md, "Issue 15, seventh round"). Without the choice of scale it lost
# Rosenbrock 8-D ("sixth round").
_MANY_NUMBERS_GP = {"additive": True, "warp": "evidence"}
# On a small space with categorical parameters neither model wins alone: our GP beat TPE by
# three orders of magnitude on `mixed` (smooth in every parameter) and lost to it on
# `svr_diabetes` (a plateau of underfitting models and a few diverging ones), and nothing
# in the two spaces tells them apart. With TPE asking four trials in five and the GP the
# fifth, each on the whole history, auto met Optuna's best on both (bench/README.md,
# "Issue 15, fifth round"); a GP turn in two, three or four cost svr_diabetes its
# target, one in five kept it (narrowly: 0.95x).
_GP_TURN_EVERY = 5
# Past six parameters a categorical space keeps TPE alone (GP turns did not pay on
# `enet_diabetes`, "Issue 15, fifth round"), with Optuna's kernels for ints and choices: on
# `enet_diabetes` (7 parameters, 3 categorical, a log int that scores like noise from one
# value to the next) TPE got below 0.485 in 11 seeds of 20 against 5 with its own kernels,
# and auto met Optuna's best: 0.69x on seeds 0-9, 0.51x on 0-19 (bench/README.md, "Issue 15,
# eighth round (target 5: enet_diabetes)"). On `svr_diabetes` (6 parameters, GP turns) the
# same kernels cost the row its target, so the smaller spaces keep TPE's own.
_MANY_PARAMS_TPE = {"optuna_kernels": True}
# The samplers auto may pick, imported directly rather than through the registry, which
# lists auto itself: so neither module needs the other at import time or later.
_CHOICES = {cls.name: cls for cls in (TPESampler, GPSampler, CMAESSampler, NSGA2Sampler)}


class AutoSampler(Sampler):
    """Chooses a sampler from the space, the budget and the number of objectives.

    The rules, first match wins:

    - several objectives: ``nsga2`` for budgets of at least 300 trials, else ``tpe``;
    - conditional parameters: ``tpe``, whose groups model them directly;
    - categorical parameters, at most 6 parameters in all and a budget below 300 trials
      (or unknown): ``tpe``, but every fifth trial (numbers 0, 5, 10, ...) ``gp``; both
      read the whole history, so each builds on the other's trials;
    - categorical parameters, more than 6 parameters and a budget below 300 trials (or
      unknown): ``tpe`` with Optuna's kernels for ints and choices (``optuna_kernels``);
    - categorical parameters otherwise: ``tpe``, whose categorical kernels model them
      directly;
    - only numbers, at most 6 of them, and a budget below 300 trials (or unknown):
      ``gp``, the most sample-efficient there;
    - only numbers, more than 6 of them, and a budget below 300 trials (or unknown):
      ``gp`` with an ``additive`` part in its kernel and the losses' scale chosen by the
      evidence (``warp="evidence"``);
    - only numbers and a budget of at least 300 trials: ``cmaes``;
    - otherwise ``tpe``.

    The choice depends on the study and the trial's number alone, so any worker makes
    the same choice for the same ask.

    Args:
        n_trials: The study's budget in trials, if known (the service fills it).
        scramble_seed: The study seed, passed on to the chosen sampler.

    Example:
        >>> from studies.engine import SearchSpace
        >>> space = SearchSpace.from_json({"kernel": {"type": "categorical", "choices": ["rbf", "linear"]}})
        >>> AutoSampler.choose(space, ["minimize"], 100)[0]
        'tpe'
    """

    name = "auto"

    title = "Tuner's choice"
    describe = "Picks the sampler that suits the study's parameters, budget and objectives, and says which and why."
    options = {"n_trials": None, "scramble_seed": 0}
    seed_option = "scramble_seed"

    def __init__(self, n_trials: Union[int, None] = None, scramble_seed: int = 0):
        self.n_trials = n_trials
        self.scramble_seed = scramble_seed

    @classmethod
    def _checked_options(cls, options: dict) -> dict:
        n_trials = options["n_trials"]
        if n_trials is not None:
            n_trials = int_option(options, "n_trials", 1, SamplerError)
        return {"n_trials": n_trials, "scramble_seed": int_option(options, "scramble_seed", 0, SamplerError)}

    @staticmethod
    def choose(space: SearchSpace, directions: Sequence[str], n_trials: Union[int, None]) -> tuple:
        """Pick a sampler for a study.

        Args:
            space: The search space.
            directions: One direction per objective.
            n_trials: The budget in trials, or None when unknown.

        Returns:
            ``(name, reason)``: a registered sampler name and one plain sentence for the
            study page.
        """
        pick = _preferred(space, directions, n_trials)
        return pick.name, pick.reason + "."

    @staticmethod
    def chosen_spec(space: SearchSpace, directions: Sequence[str], n_trials: Union[int, None],
                    number: int = 0) -> dict:
        """The sampler chosen for one trial as a JSON spec, with the options auto sets on it.

        Args:
            space: The search space.
            directions: One direction per objective.
            n_trials: The budget in trials, or None when unknown.
            number: The number of the trial asked for (the trials before it): where TPE
                and GP take turns, it says whose turn it is.

        Returns:
            ``{"name": ..., **options}``.

        Example:
            >>> from studies.engine import SearchSpace
            >>> space = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0, "high": 1} for i in range(8)})
            >>> AutoSampler.chosen_spec(space, ["minimize"], 100)
            {'name': 'gp', 'additive': True, 'warp': 'evidence'}
        """
        pick = _preferred(space, directions, n_trials)
        if pick.gp_every and number % pick.gp_every == 0:
            return {"name": "gp"}
        return {"name": pick.name, **pick.options}

    def sample(self, space: SearchSpace, trials: History, rng: np.random.Generator, directions: Directions) -> dict:
        """Propose params with the chosen sampler; see ``Sampler.sample``."""
        # The new trial's number is the count of trials before it (as Optimizer and the
        # scheduling service number them).
        options = self.chosen_spec(space, directions, self.n_trials, number=len(trials))
        chosen = _CHOICES[options.pop("name")]
        # As make_sampler does: the study seed fills the chosen sampler's seed option.
        if chosen.seed_option:
            options[chosen.seed_option] = self.scramble_seed
        return chosen.from_options(options).sample(space, trials, rng, directions)


class _Pick(NamedTuple):
    """Auto's pick: the sampler's name, the reason, the options auto sets on it, and every
    how many trials GP takes one instead (0: never)."""

    name: str
    reason: str
    options: dict = {}
    gp_every: int = 0


def _preferred(space: SearchSpace, directions: Sequence[str], n_trials: Union[int, None]) -> _Pick:
    return _Pick(*_rule(space, directions, n_trials))


def _rule(space: SearchSpace, directions: Sequence[str], n_trials: Union[int, None]) -> tuple:
    """``(name, reason)``, then the options auto sets on its pick and ``gp_every`` where they apply."""
    budget = "an unknown budget" if n_trials is None else f"a budget of {n_trials} trials"
    if len(directions) > 1:
        return _for_objectives(len(directions), n_trials, budget)
    if any(p.condition is not None for p in space.params):
        return "tpe", "TPE: some parameters apply only for some choices, and TPE models such conditions directly"
    if any(isinstance(p, CategoricalParam) for p in space.params):
        return _for_categoricals(len(space), n_trials, budget)
    return _for_numbers(len(space), n_trials, budget)


def _for_objectives(n_objectives: int, n_trials: Union[int, None], budget: str) -> tuple:
    if n_trials is not None and n_trials >= _NSGA2_MIN_TRIALS:
        return "nsga2", f"NSGA-II: {n_objectives} objectives and {budget}, enough for its generations to evolve a Pareto front"
    return "tpe", f"TPE: {n_objectives} objectives and {budget}, too few trials for an evolutionary search"


def _for_categoricals(n_params: int, n_trials: Union[int, None], budget: str) -> tuple:
    # The turns and Optuna's kernels were measured at 100 trials; from the budget where
    # numbers go to CMA-ES, categorical spaces keep TPE alone, as before (not measured there).
    small_budget = n_trials is None or n_trials < _CMAES_MIN_TRIALS
    if small_budget and n_params <= _GP_MAX_PARAMS:
        return ("tpe", f"TPE, with a Gaussian process taking one trial in {_GP_TURN_EVERY}: {n_params} parameters, "
                f"some categorical, and {budget}; the Gaussian process polishes a smooth objective, TPE copes with "
                f"plateaus and diverging trials, and the space does not tell which this is",
                {}, _GP_TURN_EVERY)
    if small_budget:
        return ("tpe", f"TPE with Optuna's kernels for whole numbers and choices: {n_params} parameters, some "
                f"categorical, and {budget}; on so many parameters they try more values of each whole number and "
                f"hold on to a good combination of choices", _MANY_PARAMS_TPE)
    return "tpe", "TPE: the space has categorical parameters, which TPE models directly"


def _for_numbers(n_params: int, n_trials: Union[int, None], budget: str) -> tuple:
    numeric = f"{n_params} numeric parameter" + ("s" if n_params != 1 else "")
    small_budget = n_trials is None or n_trials < _CMAES_MIN_TRIALS
    if small_budget and n_params <= _GP_MAX_PARAMS:
        return "gp", f"Gaussian-process Bayesian optimisation: {numeric} and {budget}, where it makes the most of each trial"
    if small_budget:
        return ("gp", f"Gaussian-process Bayesian optimisation with a model that adds one-parameter effects: "
                f"{numeric} and {budget}, more than a plain Gaussian process can model well", _MANY_NUMBERS_GP)
    if n_params >= 2:
        return "cmaes", f"CMA-ES: {numeric} and {budget}, enough for it to learn how they interact"
    return "tpe", f"TPE: {numeric} and {budget}, too many trials for a Gaussian process; CMA-ES needs two or more"


__all__ = ["AutoSampler"]
