"""How good are What if and the budget advisor? Prediction error on held-out trials, and calibration.

What if: per problem and seed, a study runs ``--trials`` trials with its sampler; the surrogate
is fitted on the first 80% and predicts the last 20% (the trials the sampler chose next, where a
user would ask) and as many points drawn at random (anywhere in the space). Reported: the root
mean square error of the surrogate, of a constant predictor (the mean of the training values),
their ratio (below 1: the surrogate helps), and how often the real value falls inside the 95%
interval.

Advisor: per problem and seed, after ``--start`` trials of the sampler the advice is taken; then
the study goes on for N more trials, once with random search (the advisor's assumption) and once
with its own sampler. Reported: how often the real best after N more trials falls inside the
advised 80% interval (the target is 70-90%), per horizon, the mean width of the interval, and
which way the random-search misses go (the real best better than the interval, or worse).

    .venv/bin/python bench/surrogate.py                      # 6 problems, 5 seeds
    .venv/bin/python bench/surrogate.py --problems branin --seeds 2    # quick check
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.problems import PROBLEMS  # noqa: E402
from studies.engine import Optimizer, SearchSpace, advise, fit_surrogate, rng_for  # noqa: E402
from studies.engine.samplers import RandomSampler  # noqa: E402

HORIZONS = (10, 50, 200)


def history(problem, sampler, seed, n):
    opt = Optimizer(problem.space, sampler=sampler, seed=seed)
    for _ in range(n):
        trial = opt.ask()
        opt.tell(trial, problem.fn(trial.params))
    return [t for t in opt.trials if t.state == "complete"]


def random_points(space, n, seed):
    """Points drawn uniformly over the space (random search reads no history)."""
    return [RandomSampler().sample(space, (), rng_for(10_000 + seed, number), ["minimize"]) for number in range(n)]


def what_if_rows(problem, sampler, seeds, n_trials):
    space = SearchSpace.from_json(problem.space)
    errors = {"next": [], "random": [], "constant_next": [], "constant_random": []}
    inside = {"next": [], "random": []}
    for seed in seeds:
        trials = history(problem, sampler, seed, n_trials)
        cut = int(0.8 * len(trials))
        train, held = trials[:cut], trials[cut:]
        surrogate = fit_surrogate(space, train, ["minimize"], np.random.default_rng(seed))
        constant = float(np.mean([t.value for t in train]))
        randoms = random_points(space, len(held), seed)
        for name, points, values in (("next", [t.params for t in held], [t.value for t in held]),
                                     ("random", randoms, [problem.fn(p) for p in randoms])):
            for params, value in zip(points, values):
                found = surrogate.predict(params)
                errors[name].append((found.mean - value) ** 2)
                errors[f"constant_{name}"].append((constant - value) ** 2)
                inside[name].append(found.low <= value <= found.high)
    rmse = {k: float(np.sqrt(np.mean(v))) for k, v in errors.items()}
    return rmse, {k: float(np.mean(v)) for k, v in inside.items()}


def advisor_rows(problem, sampler, seeds, n_start):
    space = SearchSpace.from_json(problem.space)
    hits = {(who, n): [] for who in ("random", "sampler") for n in HORIZONS}
    widths = {n: [] for n in HORIZONS}
    misses = {"better": 0, "worse": 0}
    for seed in seeds:
        start = history(problem, sampler, seed, n_start)
        surrogate = fit_surrogate(space, start, ["minimize"], np.random.default_rng(seed))
        advice = advise(surrogate, rng_for(seed, n_start), HORIZONS)
        today = min(t.value for t in start)
        # Random search: fresh uniform points after the start, as the advice assumes.
        randoms = [problem.fn(p) for p in random_points(space, max(HORIZONS), seed + 1)]
        # The study's own sampler, continued from the same history: the whole run re-asked with
        # the same seed reproduces the start, then goes on.
        own = history(problem, sampler, seed, n_start + max(HORIZONS[:2]))[n_start:]
        for n, _, low, high in advice.horizons:
            widths[n].append(high - low)
            real = min([today] + randoms[:n])
            hits[("random", n)].append(low <= real <= high)
            if real < low or real > high:
                misses["better" if real < low else "worse"] += 1
            if n <= len(own):
                real_own = min([today] + [t.value for t in own[:n]])
                hits[("sampler", n)].append(low <= real_own <= high)
    return ({k: (float(np.mean(v)) if v else None) for k, v in hits.items()},
            {n: float(np.mean(v)) for n, v in widths.items()}, misses)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--problems", nargs="+", default=list(PROBLEMS))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--sampler", default="tpe")
    parser.add_argument("--trials", type=int, default=60, help="what if: trials per study (80%% fit, 20%% held out)")
    parser.add_argument("--start", type=int, default=30, help="advisor: trials before the advice")
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    began, load = time.monotonic(), os.getloadavg()
    print(f"sampler {args.sampler}, seeds {args.seeds}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print("### What if: prediction error on held-out trials\n")
    print("| problem | RMSE next trials | constant | ratio | in 95% | RMSE random points | constant | ratio | in 95% |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.problems:
        rmse, inside = what_if_rows(PROBLEMS[name], args.sampler, seeds, args.trials)
        print(f"| {name} | {rmse['next']:.4g} | {rmse['constant_next']:.4g} | {rmse['next'] / rmse['constant_next']:.2f} "
              f"| {inside['next']:.0%} | {rmse['random']:.4g} | {rmse['constant_random']:.4g} "
              f"| {rmse['random'] / rmse['constant_random']:.2f} | {inside['random']:.0%} |", flush=True)
    print("\n### Advisor: real best after N more trials inside the advised 80% interval (target 70-90%)\n")
    header = " | ".join(f"random +{n}" for n in HORIZONS) + " | " + " | ".join(f"{args.sampler} +{n}" for n in HORIZONS[:2])
    print(f"| problem | {header} | mean width +10 / +50 / +200 | random misses: better / worse than advised |")
    print("|---|" + "---|" * (len(HORIZONS) + 4))
    totals = {}
    for name in args.problems:
        hits, widths, misses = advisor_rows(PROBLEMS[name], args.sampler, seeds, args.start)
        for key, value in hits.items():
            if value is not None:
                totals.setdefault(key, []).append(value)
        cells = [f"{hits[('random', n)]:.0%}" for n in HORIZONS] + [f"{hits[('sampler', n)]:.0%}" for n in HORIZONS[:2]]
        print(f"| {name} | {' | '.join(cells)} | {' / '.join(f'{widths[n]:.3g}' for n in HORIZONS)} | {misses['better']} / {misses['worse']} |",
              flush=True)
    cells = [f"{np.mean(totals[('random', n)]):.0%}" for n in HORIZONS] + \
            [f"{np.mean(totals[('sampler', n)]):.0%}" for n in HORIZONS[:2]]
    print(f"| **all** | {' | '.join(cells)} | | |")
    load = os.getloadavg()
    print(f"\n{time.monotonic() - began:.0f} s; load average after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
