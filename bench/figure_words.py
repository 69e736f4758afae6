"""What naming an AutoML study's parameters in words costs the figure builders at 100,000 trials.

At 100,000 trials a chart's builder gets a sample of the rows (1,000 lines for parallel
coordinates, 300 dots a panel for slices and rank, 4,000 trials for the contour) of the 10
parameters that matter most; this times `dashboard/plots.py`'s builders on such rows of a study
where Tuner chooses among every classifier (28 parameters), the median and the least of 50 builds each. Run it in
a checkout of main too (without `--words`: main's builders take no words) to compare.

    .venv/bin/python bench/figure_words.py [--words]
"""

import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import plots  # noqa: E402 (after the path)
from studies.objectives import auto_search_space  # noqa: E402

SPACE = auto_search_space("auto", "classification")
SHOWN = dict(list(SPACE.items())[:10])  # the ten a chart shows
REPEAT = 50


@dataclass
class Row:
    number: int
    params: dict
    objective: float


def rows(n, seed=0):
    """`n` trial rows, each of a kind of model picked at random with its own parameters."""
    rng = random.Random(seed)
    found = []
    for number in range(n):
        family = rng.choice(SPACE["estimator"]["choices"])
        params = {"estimator": family}
        for name, spec in SPACE.items():
            if not name.startswith(f"{family}__"):
                continue
            if spec["type"] == "categorical":
                params[name] = rng.choice(spec["choices"])
            elif spec["type"] == "int":
                params[name] = rng.randint(spec["low"], spec["high"])
            else:
                params[name] = rng.uniform(spec["low"], spec["high"])
        found.append(Row(number, params, rng.random()))
    return found


def words():
    from dashboard.names import control_words

    class Study:
        objective = {"kind": "sklearn", "estimator": "auto"}
        search_space = SPACE

    return control_words(Study)


def main():
    named = {"words": words()} if "--words" in sys.argv else {}
    sample = rows(4000)
    cases = {
        "parallel": lambda: plots.parallel(SHOWN, sample[:1000], "maximize", 100_000, **named),
        "slices": lambda: plots.slices(SHOWN, sample[:300], "maximize", 100_000, **named),
        "rank": lambda: plots.rank(SHOWN, sample[:300], list(range(1, 301)), ["maximize"], 100_000, **named),
        "contour": lambda: plots.contour(SPACE, sample, "estimator", "logistic_regression__C", "maximize", 100_000,
                                         **named),
        "importance": lambda: plots.importance_bars({name: 1 / len(SPACE) for name in SPACE}, **named),
    }
    if named:
        cases["control_words"] = words
    for name, build in cases.items():
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            build()
            times.append(time.perf_counter() - started)
        # The least of the builds too: on a shared machine the median moves with the neighbours' load.
        print(f"{name:14s} median {statistics.median(times) * 1000:8.2f} ms   least {min(times) * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
