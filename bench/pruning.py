"""Wall time saved by pruning on a built-in scikit-learn objective, and the best score kept.

Usage (from the repository root):
    .venv/bin/python bench/pruning.py                     # hist_gradient_boosting on breast_cancer, 40 trials
    .venv/bin/python bench/pruning.py --trials 20 --estimator mlp --dataset digits

Every configuration runs the same study through the engine's Optimizer: the same seed
and, with the default random sampler, the very same params in the same order, so the
only difference is where the pruner stops trials. The objective reports as it trains
(see studies/objectives/staged.py); a pruned trial stops at once. CPU time is printed
beside wall time: the objective runs single-threaded, so on a shared machine it is the
steadier measure of the work saved.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studies.engine import Optimizer
from studies.objectives import default_search_space, evaluate, objective_direction


class _Pruned(Exception):
    pass


def main(argv=None):
    args = _parser().parse_args(argv)
    spec = {"kind": "sklearn", "estimator": args.estimator, "dataset": args.dataset, "cv": 3, "metric": args.metric}
    space = default_search_space(args.estimator, "classification" if args.metric != "r2" else "regression")
    max_resource = max(space.get("max_iter", {}).get("high", 200), 1)
    pruners = {
        "none": None,
        "median": {"name": "median", "n_startup_trials": 5, "n_warmup_steps": 10},
        "asha": {"name": "asha", "min_resource": 10, "reduction_factor": 3},
        "hyperband": {"name": "hyperband", "min_resource": 10, "max_resource": max_resource, "reduction_factor": 3},
    }
    print(f"{args.estimator} on {args.dataset} ({args.metric}), {args.trials} trials, sampler {args.sampler}, seed {args.seed}\n")
    print("| pruner | wall time (s) | saved | CPU time (s) | saved | best score | vs none | pruned trials |")
    print("|---|---|---|---|---|---|---|---|")
    baseline = None
    for name in args.pruners:
        wall, cpu, best, n_pruned = _run(spec, space, pruners[name], args)
        baseline = baseline or (wall, cpu, best)
        gap = (best - baseline[2]) / abs(baseline[2])
        print(
            f"| {name} | {wall:.1f} | {1 - wall / baseline[0]:.0%} | {cpu:.1f} | {1 - cpu / baseline[1]:.0%} "
            f"| {best:.4f} | {gap:+.3%} | {n_pruned} |"
        )


def _parser():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--estimator", default="hist_gradient_boosting")
    parser.add_argument("--dataset", default="breast_cancer")
    parser.add_argument("--metric", default="accuracy")
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--sampler", default="random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pruners", nargs="+", default=["none", "median", "asha", "hyperband"])
    return parser


def _run(spec, space, pruner, args):
    direction = objective_direction(spec)
    opt = Optimizer(space, direction=direction, sampler=args.sampler, seed=args.seed, pruner=pruner)
    n_pruned = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(args.trials):
        trial = opt.ask()

        def report(step, value, trial=trial):
            if opt.report(trial, step, value):
                raise _Pruned

        try:
            value = evaluate(spec, trial.params, report=report)
        except _Pruned:
            opt.tell(trial, state="pruned")
            n_pruned += 1
        else:
            opt.tell(trial, value)
    return time.perf_counter() - start, time.process_time() - start_cpu, opt.best_value, n_pruned


if __name__ == "__main__":
    main()
