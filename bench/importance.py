"""What the importance forest says on a study where Tuner chose the model, and what it costs.

Shares: the lead's house-price study (bench/houses_study.json: AutoML, 150 TPE trials) after n
trials, for forest seeds 0-4: the kind of model's share, the largest share of one kind's own
setting, the top parameter, and (when the engine gives them) the support vector machines' lead.
Cost: the median wall and CPU time (ms) of one importance over --repeats runs, on that study's 150 trials,
on 1,000 random trials of the AutoML space, and on 1,000 trials of a flat space of 8 numbers.
Run it from a checkout's root; to compare two checkouts, run it in each in turn.

    .venv/bin/python bench/importance.py
    .venv/bin/python bench/importance.py --cost-only --repeats 7
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path.cwd()))

from studies import engine  # noqa: E402
from studies.engine import SearchSpace, TrialRecord, rng_for  # noqa: E402
from studies.engine.samplers import RandomSampler  # noqa: E402

HOUSES = Path.cwd() / "bench" / "houses_study.json"


def _houses():
    study = json.loads(HOUSES.read_text())
    space = SearchSpace.from_json(study["search_space"])
    return space, [TrialRecord(t["number"], t["params"], "complete", value=t["value"]) for t in study["trials"]]


def _run(space, trials, seed=0):
    """(shares, leads or None): `importance_report` where the checkout has it, else `importance`."""
    if hasattr(engine, "importance_report"):
        found = engine.importance_report(space, trials, "maximize", seed)
        return found.shares, found.leads
    return engine.importance(space, trials, "maximize", seed), None


def shares_table():
    space, trials = _houses()
    print("| n | seed 0 | seed 1 | seed 2 | seed 3 | seed 4 | svm's lead (seed 0) |")
    print("|---|---|---|---|---|---|---|")
    for n in (30, 50, 75, 100, 150):
        cells, lead = [], "–"
        for seed in range(5):
            shares, leads = _run(space, trials[:n], seed)
            setting = max((name for name in shares if name != "estimator"), key=shares.get)
            top = max(shares, key=shares.get)
            cells.append(f"{shares['estimator']:.0%} / {setting} {shares[setting]:.0%} (top: {top})")
            if seed == 0 and leads is not None:
                lead = leads.get(("estimator", "svm"), "none")
        print(f"| {n} | {' | '.join(cells)} | {lead} |", flush=True)


def _random_trials(space, n, value):
    trials = []
    for number in range(n):
        params = RandomSampler().sample(space, trials, rng_for(0, number), ["maximize"])
        trials.append(TrialRecord(number, params, "complete", value=float(value(params))))
    return trials


def cost_table(repeats):
    space, trials = _houses()
    flat = SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(8)})
    level = {name: i / 8 for i, name in enumerate(space["estimator"].choices)}
    cases = [("houses, 150 trials", space, trials),
             ("AutoML space, 1,000 random trials", space,
              _random_trials(space, 1000, lambda p: level[p["estimator"]] + 0.1 * np.sin(len(p)))),
             ("flat, 8 numbers, 1,000 trials", flat,
              _random_trials(flat, 1000, lambda p: 3 * p["x0"] + p["x1"] * p["x2"]))]
    for label, case_space, case_trials in cases:
        _run(case_space, case_trials)  # imports and caches warmed
        wall, cpu = [], []
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            _run(case_space, case_trials)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        print(f"| {label} | {1000 * statistics.median(wall):.0f} | {1000 * statistics.median(cpu):.0f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cost-only", action="store_true")
    args = parser.parse_args()
    if not args.cost_only:
        shares_table()
    cost_table(args.repeats)


if __name__ == "__main__":
    main()
