"""Stop rules: how many trials each rule saves against the full budget, and what it costs in regret.

Usage (from the repository root):
    .venv/bin/python bench/stop_rules.py                              # 7 problems, 10 seeds, 100 trials
    .venv/bin/python bench/stop_rules.py --seeds 3 --problems branin knn   # quick check

For every problem and seed, one full run (the tpe sampler through the engine's ``Optimizer``,
as a study runs) is recorded. Each rule is then replayed on the growing history, trial by
trial, with the engine's own ``stop_reason`` exactly as the service calls it after each
complete trial: a rule only decides when to stop, never what to try, so the stopped study is
the full run cut where the rule fires.

Rules (each alone):
- ``target``: the median, over the seeds, of the best value the full runs had at half budget;
- ``patience``: 20 trials without improvement (``min_delta`` 0);
- ``regret_bound``: ``true`` (checked after every trial from the 20th); the evaluation's noise
  is the best trial's cross-validation spread where there are folds (``knn``), else the GP's
  own noise estimate (the deterministic functions).

Problems: those of ``bench/problems.py`` and ``knn``, a k-nearest-neighbours classifier on
scikit-learn's breast cancer data, 5-fold CV accuracy over its built-in space (every one of
its 120 points is evaluated once up front, so runs look results up).

Regret is the noise-free value of the trial that looked best, minus the optimum (for ``knn``,
the best of the 120 points). ``branin_noisy`` and ``hartmann6_noisy`` (not in the default set:
``--problems branin_noisy hartmann6_noisy``) add Gaussian noise (sd 0.5 and 0.05) to every value
seen, as a training run's score has; the regret bound then compares with the GP's noise estimate.
"within 5%": the share of seeds whose regret at the stop is at most 1.05 x the full run's.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from problems import PROBLEMS, Problem  # noqa: E402

import numpy as np  # noqa: E402

from studies.engine import Optimizer, SearchSpace, StopRules, cv_noise, rng_for, stop_reason  # noqa: E402

RULES = ("target", "patience", "regret_bound")
# Noisy twins of two functions: each value seen carries Gaussian noise of this standard
# deviation (as a training run's score does), and regret is measured on the noise-free value.
NOISY = {"branin_noisy": ("branin", 0.5), "hartmann6_noisy": ("hartmann6", 0.05)}
PATIENCE = 20


@dataclass(frozen=True)
class Run:
    """One full run: the values seen in order, their noise-free truth, each trial's folds (where
    the problem has them) and the history as the engine recorded it."""

    values: tuple
    true: tuple
    folds: tuple
    records: tuple

    def regret(self, n, optimum):
        """The true regret of the trial that looked best among the first ``n``."""
        best = min(range(n), key=lambda i: self.values[i])
        return self.true[best] - optimum


def _knn_table():
    """Every point of knn's built-in space, evaluated once: params key -> (loss, fold losses)."""
    from studies import objectives

    spec = objectives.validate_objective({"kind": "sklearn", "estimator": "knn", "dataset": "breast_cancer",
                                          "metric": "accuracy", "cv": 5})
    table = {}
    for k, weights, p in itertools.product(range(1, 31), ("uniform", "distance"), (1, 2)):
        details = objectives.evaluate_details(spec, {"n_neighbors": k, "weights": weights, "p": p})
        # Accuracy is maximised and the bench minimises: it keeps losses, the folds' too.
        table[(k, weights, p)] = (-details.value, tuple(-s for s in details.fold_scores))
    return table


def _key(params):
    return params["n_neighbors"], params["weights"], params["p"]


_KNN_TABLE = {}


def _init(table):
    """Make the knn problem in this process (each pool worker gets the table once)."""
    from studies import objectives

    _KNN_TABLE.update(table)
    if table:
        PROBLEMS["knn"] = Problem("knn", objectives.default_search_space("knn", "classification"),
                                  lambda params: _KNN_TABLE[_key(params)][0], min(v for v, _ in table.values()))


def _run(problem_name, seed, n_trials):
    base, noise_sd = NOISY.get(problem_name, (problem_name, 0.0))
    problem = PROBLEMS[base]
    opt = Optimizer(problem.space, sampler="tpe", seed=seed)
    noise = np.random.default_rng([seed, 7]).normal(0.0, noise_sd, n_trials)
    values, true, folds = [], [], []
    for i in range(n_trials):
        trial = opt.ask()
        true.append(problem.fn(trial.params))
        values.append(true[-1] + noise[i])
        opt.tell(trial, values[-1])
        folds.append(_KNN_TABLE[_key(trial.params)][1] if problem.name == "knn" else None)
    return Run(tuple(values), tuple(true), tuple(folds), opt.trials)


def _stop_at(rules, problem, run, seed):
    """How many complete trials the run has when ``rules`` stop it (all of them when never)."""
    space = SearchSpace.from_json(problem.space)
    regret = rules.regret_bound
    for n in range(1, len(run.values) + 1):
        noise, trials = None, ()
        if regret is not None:
            if not regret.due(n):
                continue
            best = min(range(n), key=lambda i: run.values[i])
            noise = cv_noise(run.folds[best]) if run.folds[best] else None
            trials = run.records[:n]
        if stop_reason(rules, space, trials, "minimize", rng_for(seed, n), completed_order=run.values[:n],
                       noise=noise):
            return n
    return len(run.values)


def _task(args):
    """One full run, and where patience and the regret bound stop it: (stop, regret, seconds) each."""
    problem_name, seed, n_trials = args
    problem = PROBLEMS[NOISY.get(problem_name, (problem_name,))[0]]
    run = _run(problem_name, seed, n_trials)
    out = {}
    for rule, rules in (("patience", StopRules(patience=PATIENCE)),
                        ("regret_bound", StopRules.from_json({"regret_bound": True}))):
        start = time.perf_counter()
        n = _stop_at(rules, problem, run, seed)
        out[rule] = (n, run.regret(n, problem.optimum), time.perf_counter() - start)
    return problem_name, seed, run, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--problems", nargs="+", default=list(PROBLEMS) + ["knn"],
                        choices=list(PROBLEMS) + ["knn", *NOISY])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args(argv)
    print(f"load average before: {_load()}")
    started = time.perf_counter()
    table = _knn_table() if "knn" in args.problems else {}
    _init(table)
    tasks = [(p, seed, args.trials) for p in args.problems for seed in range(args.seeds)]
    rows = []
    with Pool(args.jobs, initializer=_init, initargs=(table,)) as pool:
        for done, row in enumerate(pool.imap(_task, tasks), start=1):
            rows.append(row)
            print(f"\r{done}/{len(tasks)} runs, {time.perf_counter() - started:.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    _add_target(args, rows)
    _print(args, rows)
    print(f"\n{time.perf_counter() - started:.0f} s wall; load average after: {_load()}")


def _problem(name):
    return PROBLEMS[NOISY.get(name, (name,))[0]]


def _load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _add_target(args, rows):
    """Replay the target (cheap: a pass over the values) once every full run is known."""
    for problem in args.problems:
        mine = [row for row in rows if row[0] == problem]
        target = statistics.median(min(run.values[: args.trials // 2]) for _, _, run, _ in mine)
        rules = StopRules(target=target)
        for _, seed, run, out in mine:
            n = _stop_at(rules, _problem(problem), run, seed)
            out["target"] = (n, run.regret(n, _problem(problem).optimum), 0.0)


def _print(args, results):
    print(f"\nseeds {args.seeds}, trials {args.trials}, sampler tpe\n")
    print("| problem | rule | trials saved (median) | median regret, full | median regret, stopped | "
          "median regret lost | within 5% of full | s per run on the rule |")
    print("|---|---|---|---|---|---|---|---|")
    met = []
    for problem in args.problems:
        rows = [r for r in results if r[0] == problem]
        full = [run.regret(len(run.values), _problem(problem).optimum) for _, _, run, _ in rows]
        for rule in RULES:
            stops = [out[rule] for _, _, _, out in rows]
            saved = statistics.median(1 - n / args.trials for n, _, _ in stops)
            within = sum(regret <= 1.05 * f + 1e-12 for (_, regret, _), f in zip(stops, full)) / len(stops)
            lost = statistics.median(regret - f for (_, regret, _), f in zip(stops, full))
            print(f"| {problem} | {rule} | {saved:.0%} | {statistics.median(full):.4g} | "
                  f"{statistics.median(regret for _, regret, _ in stops):.4g} | {lost:.4g} | {within:.0%} | "
                  f"{statistics.median(t for _, _, t in stops):.1f} |")
            if rule == "regret_bound" and saved >= 0.3 and within >= 0.5:
                met.append(problem)
    print(f"\nregret_bound saves at least 30% of the trials with most seeds' regret within 5% of the full run's "
          f"on {len(met)} of {len(args.problems)} problems: {', '.join(met) or 'none'}")


if __name__ == "__main__":
    main()
