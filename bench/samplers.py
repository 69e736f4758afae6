"""Engine samplers against Optuna's on the same problems, seeds and budgets.

Usage (from the repository root):
    .venv/bin/python bench/samplers.py                        # 10 seeds, 100 trials, all problems
    .venv/bin/python bench/samplers.py --seeds 3 --trials 50 --problems branin   # quick check
    .venv/bin/python bench/samplers.py --problems branin hartmann6 --jobs 2
    .venv/bin/python bench/samplers.py --optuna-gp-problems branin mixed   # Optuna's GP on these only

For each problem it prints the median final regret of every sampler (for a problem whose
optimum is unknown, the scikit-learn ones, regret is taken from the best value of any run
in the same bench run), its ratio to
Optuna's default TPE and to Optuna's best sampler on that problem, and a Mann-Whitney
verdict against Optuna's default TPE (win / tie / loss at p < 0.05). Then it times
suggestions against Optuna's: TPE after 1,000, 10,000 and 100,000 trials, GP after 200 and
1,000, each the median of several asks after one warm-up ask (Optuna's first ask builds
caches), with the load average before and after (the figures move with it). Our samplers run through the engine's ``Optimizer``. Optuna comes from
requirements-bench.txt and is never a runtime dependency.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import warnings
from importlib.util import find_spec
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from problems import PROBLEMS

from studies.engine import (
    SAMPLERS,
    Optimizer,
    SamplerError,
    SearchSpace,
    TrialRecord,
    make_sampler,
    rng_for,
)

BASELINE = "optuna-tpe"
OURS = ("auto", "tpe", "tpe-separable", "tpe-hybrid", "tpe-optuna-kernels", "gp", "gp-additive", "gp-additive-warp",
        "cmaes", "evolution", "random")
# Bench rows that are one of our samplers with options set (auto picks separable TPE for
# spaces of more than six numbers; hybrid, the additive GP and its scale of the losses chosen
# by evidence are opt-in; auto picks Optuna's kernels for ints and choices on categorical
# spaces of more than six parameters).
VARIANTS = {"tpe-separable": {"name": "tpe", "separable": True}, "tpe-hybrid": {"name": "tpe", "hybrid": True},
            "tpe-optuna-kernels": {"name": "tpe", "optuna_kernels": True},
            "gp-additive": {"name": "gp", "additive": True},
            "gp-additive-warp": {"name": "gp", "additive": True, "warp": "evidence"}}
OPTUNA = ("optuna-tpe", "optuna-tpe-univariate", "optuna-gp", "optuna-cmaes", "optuna-random")


def main(argv=None):
    args = _parser().parse_args(argv)
    samplers = [s for s in args.samplers if _available(s)]
    if not args.timing_only:
        _print_regrets(args, samplers)
    if not args.no_timing:
        _print_timing(args.timing_repeats, args.timing_trials)


def _print_regrets(args, samplers):
    tasks = [
        (p, s, seed, args.trials)
        for p in args.problems
        for s in samplers
        if _serves(s, p) and (s != "optuna-gp" or args.optuna_gp_problems is None or p in args.optuna_gp_problems)
        for seed in range(args.seeds)
    ]
    bests = {}
    start, load = time.perf_counter(), _load()
    with Pool(args.jobs) as pool:
        for done, (task, best) in enumerate(zip(tasks, pool.imap(_run_task, tasks)), start=1):
            bests.setdefault(task[0], {}).setdefault(task[1], []).append(best)
            print(f"\r{done}/{len(tasks)} runs, {time.perf_counter() - start:.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    print(f"seeds {args.seeds}, trials {args.trials}; {time.perf_counter() - start:.0f} s wall; "
          f"load average {load} at the start, {_load()} at the end\n")
    for problem in args.problems:
        optimum, known = _best_known(problem, bests[problem])
        regrets = {s: [b - optimum for b in values] for s, values in bests[problem].items()}
        _print_problem(problem, regrets, optimum, known)


def _best_known(problem, bests):
    """The optimum, and whether it is known: for a problem without one (the sklearn
    problems), the best value any run of this bench run found stands in for it."""
    optimum = PROBLEMS[problem].optimum
    if optimum is not None:
        return optimum, True
    return min(min(values) for values in bests.values()), False


def _parser():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--problems", nargs="+", default=list(PROBLEMS), choices=list(PROBLEMS))
    parser.add_argument("--samplers", nargs="+", default=list(OURS + OPTUNA))
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--optuna-gp-problems", nargs="+", choices=list(PROBLEMS),
                        help="run optuna-gp (minutes per study) on these problems only (default: all)")
    parser.add_argument("--no-timing", action="store_true", help="skip the suggestion-time table")
    parser.add_argument("--timing-only", action="store_true", help="print only the suggestion-time table")
    parser.add_argument("--timing-repeats", type=int, default=9, help="asks timed per row, after one warm-up")
    parser.add_argument("--timing-trials", type=int, nargs="+", help="only these history sizes (default: every row)")
    return parser


def _available(sampler):
    if sampler.startswith("optuna-"):
        return _optuna_sampler(sampler, 0) is not None
    return sampler in SAMPLERS or sampler in VARIANTS


def _serves(sampler, problem):
    """Whether the sampler takes the problem's space (cmaes refuses categoricals)."""
    if sampler.startswith("optuna-"):
        return True
    try:
        make_sampler(VARIANTS.get(sampler, sampler)).check(SearchSpace.from_json(PROBLEMS[problem].space))
    except SamplerError:
        return False
    return True


# ----- running one study -----------------------------------------------------------

def _run_task(task):
    return _run(*task)


def _run(problem_name, sampler, seed, n_trials):
    """The best value one study found (the regret is taken once every run is in)."""
    problem = PROBLEMS[problem_name]
    if sampler.startswith("optuna-"):
        return _run_optuna(problem, sampler, seed, n_trials)
    return _run_ours(problem, sampler, seed, n_trials)


def _spec(sampler, n_trials):
    return {"name": "auto", "n_trials": n_trials} if sampler == "auto" else VARIANTS.get(sampler, sampler)


def _run_ours(problem, sampler, seed, n_trials):
    opt = Optimizer(problem.space, sampler=_spec(sampler, n_trials), seed=seed)
    for _ in range(n_trials):
        trial = opt.ask()
        opt.tell(trial, problem.fn(trial.params))
    return opt.best_value


def _run_optuna(problem, sampler, seed, n_trials):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(sampler=_optuna_sampler(sampler, seed))
    distributions = _distributions(problem.space)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(n_trials):
            trial = study.ask(distributions)
            study.tell(trial, problem.fn(trial.params))
    return study.best_value


def _optuna_sampler(name, seed):
    """Optuna's sampler by our bench name, or None when Optuna (or what it needs) is missing."""
    # CmaEsSampler needs the cmaes package and GPSampler needs torch (not installed here).
    needs = {"optuna-cmaes": "cmaes", "optuna-gp": "torch"}.get(name, "optuna")
    if find_spec("optuna") is None or find_spec(needs) is None:
        return None
    from optuna import samplers as s

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "optuna-tpe":
            return s.TPESampler(seed=seed)
        if name == "optuna-tpe-univariate":
            # Optuna 5's default TPE is multivariate; this is the classic independent one.
            return s.TPESampler(seed=seed, multivariate=False)
        if name == "optuna-random":
            return s.RandomSampler(seed=seed)
        if name == "optuna-cmaes":
            return s.CmaEsSampler(seed=seed, warn_independent_sampling=False)
        if name == "optuna-gp":
            return s.GPSampler(seed=seed)
    return None


def _distributions(space_json):
    from optuna import distributions as d

    result = {}
    for name, spec in SearchSpace.from_json(space_json).to_json().items():
        if spec["type"] == "categorical":
            result[name] = d.CategoricalDistribution(spec["choices"])
        elif spec["type"] == "int":
            result[name] = d.IntDistribution(spec["low"], spec["high"], log=spec.get("log", False), step=spec.get("step", 1))
        else:
            result[name] = d.FloatDistribution(spec["low"], spec["high"], log=spec.get("log", False), step=spec.get("step"))
    return result


# ----- reporting -----------------------------------------------------------------------

def _print_problem(problem, by_sampler, optimum, known):
    medians = {s: statistics.median(v) for s, v in by_sampler.items()}
    optuna_medians = [m for s, m in medians.items() if s.startswith("optuna-")]
    optuna_best = min(optuna_medians) if optuna_medians else math.nan
    base = by_sampler.get(BASELINE)
    print(f"## {problem}")
    if not known:
        print(f"(optimum unknown: regret is taken from {optimum:.6g}, the best value of any run here)")
    print("| sampler | median regret | / optuna-tpe | / optuna best | vs optuna-tpe |")
    print("|---|---|---|---|---|")
    for sampler, values in by_sampler.items():
        median = medians[sampler]
        ratio = _ratio(median, medians.get(BASELINE, math.nan))
        best_ratio = _ratio(median, optuna_best)
        verdict = "" if base is None or sampler == BASELINE else _verdict(values, base)
        print(f"| {sampler} | {median:.4g} | {ratio:.2f} | {best_ratio:.2f} | {verdict} |")
    print()


def _ratio(a, b):
    if b == 0:
        return 1.0 if a == 0 else math.inf
    return a / b


def _verdict(ours, theirs):
    if np.allclose(ours, theirs):
        return "tie"
    p = mannwhitneyu(ours, theirs, alternative="two-sided").pvalue
    if p >= 0.05:
        return f"tie (p={p:.2f})"
    return f"win (p={p:.3f})" if statistics.median(ours) < statistics.median(theirs) else f"loss (p={p:.3f})"


# ----- suggestion time -----------------------------------------------------------------

# (ours, Optuna's, history sizes). Optuna's univariate TPE only at 1,000: it adds nothing
# past that but minutes.
TIMING_PAIRS = (
    ("tpe", "optuna-tpe", (1000, 10000, 100000)),
    ("tpe", "optuna-tpe-univariate", (1000,)),
    ("gp", "optuna-gp", (200, 1000)),
)


def _print_timing(repeats, sizes=None):
    problem = PROBLEMS["mixed"]
    print(f"## suggestion time (median of {repeats} asks after one warm-up ask; history of random trials "
          f"on the mixed space)")
    print(f"load average before: {_load()}")
    print("| sampler | trials in history | asks | ours (ms) | optuna (ms) | optuna / ours "
          "| ours CPU (ms) | optuna CPU (ms) | optuna / ours, CPU |")
    print("|---|---|---|---|---|---|---|---|---|")
    for ours, theirs, ns in TIMING_PAIRS:
        for n in ns:
            if sizes and n not in sizes:
                continue
            # Optuna's asks take seconds past 10,000 trials (TPE) or 200 (GP): fewer of them there.
            k = repeats if n <= (200 if ours == "gp" else 10000) else max(3, repeats // 3)
            mine = _time_ours(problem, ours, n, k) if ours in SAMPLERS else (math.nan, math.nan)
            other = _time_optuna(problem, theirs, n, k) if _available(theirs) else (math.nan, math.nan)
            print(f"| {ours} vs {theirs} | {n:,} | {k} | {_ms(mine[0])} | {_ms(other[0])} | {_times(other[0], mine[0])} "
                  f"| {_ms(mine[1])} | {_ms(other[1])} | {_times(other[1], mine[1])} |", flush=True)
    print(f"load average after: {_load()}")
    print()


def _load():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "n/a"


def _ms(seconds):
    return "n/a" if math.isnan(seconds) else f"{seconds * 1e3:.1f}"


def _times(theirs, ours):
    return "n/a" if math.isnan(theirs) or math.isnan(ours) else f"{theirs / ours:.1f}x"


def _history(problem, n):
    space = SearchSpace.from_json(problem.space)
    random = make_sampler("random")
    trials = []
    for number in range(n):
        params = random.sample(space, trials, rng_for(123, number), ("minimize",))
        trials.append(TrialRecord(number=number, params=params, state="complete", value=problem.fn(params)))
    return space, trials


def _time_ours(problem, sampler, n, repeats):
    """Median ``(wall, cpu)`` seconds per ask after one warm-up ask, each ask told before the next (as Optuna's)."""
    space, trials = _history(problem, n)
    built = make_sampler(sampler, seed=0)
    times = []
    for r in range(repeats + 1):
        with _Clock(times):
            params = built.sample(space, trials, rng_for(0, len(trials)), ("minimize",))
        trials.append(TrialRecord(number=len(trials), params=params, state="complete", value=problem.fn(params)))
    return _medians(times[1:])


def _time_optuna(problem, sampler, n, repeats):
    """Median ``(wall, cpu)`` seconds per ``study.ask`` after one warm-up ask (its first call builds caches)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    _, trials = _history(problem, n)
    distributions = _distributions(problem.space)
    study = optuna.create_study(sampler=_optuna_sampler(sampler, 0))
    study.add_trials(
        [optuna.trial.create_trial(params=dict(t.params), distributions=distributions, value=t.value) for t in trials]
    )
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats + 1):
            with _Clock(times):
                trial = study.ask(distributions)
            study.tell(trial, problem.fn(trial.params))
    return _medians(times[1:])


class _Clock:
    """Appends ``(wall, cpu)`` seconds of the block to a list. CPU time is this process's
    (every thread): it moves less than wall time with the load of a shared machine."""

    def __init__(self, times: list):
        self.times = times

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc):
        self.times.append((time.perf_counter() - self.wall, time.process_time() - self.cpu))


def _medians(times: list) -> tuple:
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


if __name__ == "__main__":
    main()
