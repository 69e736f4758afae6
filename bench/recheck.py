"""Re-checking the top trials: do the 95% intervals hold the true value, and is the robust best
truly better than the plain best?

Usage (from the repository root):
    .venv/bin/python bench/recheck.py                  # 9 settings, 2,000 simulated studies each
    .venv/bin/python bench/recheck.py --studies 300    # quick check

Each simulated study has 50 trials with a known true value (drawn from N(0.85, spread²), like
accuracies) and a noise of its own (sd = noise × U(0.5, 1.5), as some models move more between
folds than others). The study sees one noisy value per trial; its top 5 (maximised) are
re-checked with `repeats` fresh noisy values each, through the engine's own `estimate` and
`verdict`, exactly as a study's re-check is summarised.

Columns:
- coverage: the share of re-checked trials whose 95% interval holds its true value (target 90-98%);
- same: how often the robust best is the plain best (the trial with the best value);
- truly better / worse: when they differ, how often the robust best's true value is higher / lower;
- regret plain / robust: the best true value among the top 5 minus the chosen trial's, mean over
  studies, in units of `spread` (0 = always the truly best of the five);
- told apart right: when the sentence says "better ... with probability", how often that is true.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from studies.engine.recheck import TOLD_APART, estimate, pooled_spread, probability_ahead, ranked  # noqa: E402

N_TRIALS, TOP_K, CENTRE = 50, 5, 0.85
SETTINGS = [(noise, repeats) for noise in (0.5, 1.0, 2.0) for repeats in (1, 3, 5)]


def simulate(rng, spread, noise, repeats):
    """One study: (n covered, n re-checked, same, truly better, truly worse, regret plain, regret robust,
    told apart, told apart right)."""
    truth = rng.normal(CENTRE, spread, N_TRIALS)
    sd = noise * spread * rng.uniform(0.5, 1.5, N_TRIALS)
    seen = truth + rng.normal(0, sd)
    top = np.argsort(-seen)[:TOP_K]
    estimates = [estimate(int(i), seen[i], truth[i] + rng.normal(0, sd[i], repeats)) for i in top]
    covered = sum(e.low <= truth[e.number] <= e.high for e in estimates)
    order = ranked(estimates, "maximize")
    robust, plain = order[0].number, int(top[0])
    best_true = truth[top].max()
    told = probability_ahead(order[0], order[1], "maximize", pooled_spread(estimates)) >= TOLD_APART
    return (covered, len(estimates), robust == plain, truth[robust] > truth[plain], truth[robust] < truth[plain],
            (best_true - truth[plain]) / spread, (best_true - truth[robust]) / spread,
            told, told and truth[order[0].number] > truth[order[1].number])


def run(n_studies, seed):
    rows = []
    for noise, repeats in SETTINGS:
        rng = np.random.default_rng(seed)
        results = np.array([simulate(rng, 0.01, noise, repeats) for _ in range(n_studies)], dtype=float)
        covered, n, same, better, worse, regret_plain, regret_robust, told, right = results.T
        differ = max(1, int(n_studies - same.sum()))
        rows.append((noise, repeats, covered.sum() / n.sum(), same.mean(), better.sum() / differ,
                     worse.sum() / differ, regret_plain.mean(), regret_robust.mean(),
                     right.sum() / told.sum() if told.sum() else float("nan"), int(told.sum())))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start = time.perf_counter()
    rows = run(args.studies, args.seed)
    print(f"{args.studies} simulated studies per setting, {N_TRIALS} trials, top {TOP_K} re-checked\n")
    print("| noise / spread | repeats | coverage | same | truly better | truly worse | regret plain | "
          "regret robust | told apart right (n) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for noise, repeats, coverage, same, better, worse, plain, robust, right, n_told in rows:
        print(f"| {noise:g} | {repeats} | {coverage:.1%} | {same:.0%} | {better:.0%} | {worse:.0%} | {plain:.2f} | "
              f"{robust:.2f} | {right:.0%} ({n_told}) |")
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
