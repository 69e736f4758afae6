"""Constrained optimisation: our tpe, gp and nsga2 against Optuna's constrained samplers.

Usage (from the repository root):
    .venv/bin/python bench/constraints.py                         # 10 seeds, 50 trials, both problems
    .venv/bin/python bench/constraints.py --seeds 3 --trials 30   # quick check

Each run minimises a problem whose unconstrained optimum breaks its constraint; every
trial is told its constraint values (feasible when all <= 0, Optuna's convention). The
score of a run is its final feasible regret: the best feasible value found minus the
known constrained optimum (infinite when no trial was feasible). Ours run through the
engine's ``Optimizer`` (the same ask/tell path as a study); Optuna's samplers get the
same values through ``constraints_func``. Optuna comes from requirements-bench.txt and
is never a runtime dependency.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studies.engine import Optimizer, SearchSpace  # noqa: E402
from studies.objectives.functions import (  # noqa: E402
    default_function_space,
    evaluate_function,
    function_constraints,
    function_optimum,
)

OURS = ("tpe", "gp", "nsga2", "random")
OPTUNA = ("optuna-tpe", "optuna-gp", "optuna-nsga2")


@dataclass(frozen=True)
class Problem:
    """A constrained problem: minimise ``fn`` subject to every ``constraints`` value <= 0."""

    name: str
    space: dict
    fn: Callable[[dict], float]
    constraints: Callable[[dict], list]
    optimum: float


def _problem(name):
    """A constrained built-in function (one definition, `studies.objectives.functions`, for the
    studies users run and for this race)."""
    return Problem(name, default_function_space(name), partial(evaluate_function, name),
                   partial(function_constraints, name), function_optimum(name, 2))


# branin_disc: Branin inside a disc that leaves out two of its three minima (Gardner et al. 2014,
# section 5); gramacy: a linear objective, a wavy and a round constraint (Gramacy et al. 2016);
# gardner: Gardner et al. (2014), figure 2, whose optimum is feasible.
PROBLEMS = {name: _problem(name) for name in ("branin_disc", "gramacy", "gardner")}


def main(argv=None):
    args = _parser().parse_args(argv)
    print(f"load average before: {_load()}")
    started = time.time()
    for name in args.problems:
        problem = PROBLEMS[name]
        _print_problem(problem, ((s, [_run(problem, s, seed, args.trials) for seed in range(args.seeds)])
                                 for s in args.samplers), args)
    print(f"\nwall {time.time() - started:.0f} s; load average after: {_load()}")


def _parser():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--problems", nargs="+", default=list(PROBLEMS), choices=list(PROBLEMS))
    parser.add_argument("--samplers", nargs="+", default=[*OURS, *OPTUNA], choices=[*OURS, *OPTUNA])
    return parser


def _run(problem, sampler, seed, n_trials):
    """One run: ``(final feasible regret, share of feasible trials, seconds)``."""
    started = time.process_time()
    outcomes = _run_optuna(problem, sampler, seed, n_trials) if sampler.startswith("optuna-") else \
        _run_ours(problem, sampler, seed, n_trials)
    feasible = [value for value, constraints in outcomes if all(c <= 0 for c in constraints)]
    regret = min(feasible) - problem.optimum if feasible else math.inf
    return regret, len(feasible) / len(outcomes), time.process_time() - started


def _run_ours(problem, sampler, seed, n_trials):
    opt = Optimizer(problem.space, sampler=sampler, seed=seed)
    outcomes = []
    for _ in range(n_trials):
        trial = opt.ask()
        value, constraints = problem.fn(trial.params), problem.constraints(trial.params)
        opt.tell(trial, value, constraints=constraints)
        outcomes.append((value, constraints))
    return outcomes


def _run_optuna(problem, sampler, seed, n_trials):
    import optuna
    from optuna import distributions as d
    from optuna import samplers as s

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    distributions = {name: d.FloatDistribution(spec["low"], spec["high"])
                     for name, spec in SearchSpace.from_json(problem.space).to_json().items()}

    def constraints_func(frozen):
        return frozen.user_attrs["constraints"]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make = {"optuna-tpe": s.TPESampler, "optuna-gp": s.GPSampler, "optuna-nsga2": s.NSGAIISampler}[sampler]
        study = optuna.create_study(sampler=make(seed=seed, constraints_func=constraints_func))
        outcomes = []
        for _ in range(n_trials):
            trial = study.ask(distributions)
            value, constraints = problem.fn(trial.params), problem.constraints(trial.params)
            trial.set_user_attr("constraints", constraints)
            study.tell(trial, value)
            outcomes.append((value, constraints))
    return outcomes


def _print_problem(problem, by_sampler, args):
    print(f"\n### {problem.name} (optimum {problem.optimum:.6g}; {args.seeds} seeds x {args.trials} trials)\n")
    print("| sampler | median feasible regret | runs with no feasible trial | feasible trials | CPU s per run |")
    print("|---|---|---|---|---|", flush=True)
    for sampler, runs in by_sampler:  # a generator: each row prints as soon as its runs are done
        regrets = [r for r, _, _ in runs]
        print(f"| {sampler} | {statistics.median(regrets):.4g} | {sum(math.isinf(r) for r in regrets)} "
              f"| {statistics.mean(f for _, f, _ in runs):.0%} | {statistics.mean(t for _, _, t in runs):.1f} |",
              flush=True)


def _load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
