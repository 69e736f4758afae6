"""Dashboard speed at scale: a 10,000-trial study, 8 params, 10 intermediate values each.

Builds the study with bulk_create in a throw-away SQLite database, then times every page
and JSON endpoint through Django's test client (server time, no network, no browser),
and prints time, payload size and query count with the ratio to the target of issue 4.

    .venv/bin/python bench/dashboard.py [--trials 10000] [--repeat 3]

Charts are timed cold (the per-revision cache is cleared before each run), which is what
the first viewer after a change pays.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TUNER_VAR_DIR", tempfile.mkdtemp(prefix="tuner-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuner_site.settings")
os.environ.pop("DATABASE_URL", None)

TARGETS = {"page": (0.300, None), "chart": (0.500, 2_000_000), "table": (0.200, None)}
SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True},
    "momentum": {"type": "float", "low": 0.0, "high": 0.99},
    "depth": {"type": "int", "low": 2, "high": 12},
    "width": {"type": "int", "low": 16, "high": 512, "log": True},
    "dropout": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
    "batch": {"type": "int", "low": 16, "high": 256, "step": 16},
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd", "rmsprop"]},
    "activation": {"type": "categorical", "choices": ["relu", "tanh", "gelu"]},
}


def _setup_django():
    import django
    from django.conf import settings

    if not any(p.name[0].isdigit() for p in (ROOT / "studies" / "migrations").glob("*.py")):
        # No migration has landed yet: build the tables straight from the models.
        settings.MIGRATION_MODULES = {"studies": None}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)


def build_study(n_trials, n_reports):
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from studies.models import Study, Trial, TrialReport

    rng = np.random.default_rng(0)
    user, _ = get_user_model().objects.get_or_create(username="bench")
    now = timezone.now()
    study = Study.objects.create(
        owner=user, name="bench 10k", directions=["minimize"], search_space=SPACE, sampler={"name": "random"},
        objective={"kind": "external"}, seed=0, n_trials=n_trials + 100, parallelism=8, state="running",
        started_at=now - timezone.timedelta(hours=10), revision=n_trials, next_number=n_trials,
    )
    trials = []
    for number in range(n_trials):
        params = {
            "lr": float(10 ** rng.uniform(-5, -1)), "momentum": float(rng.uniform(0, 0.99)),
            "depth": int(rng.integers(2, 13)), "width": int(2 ** rng.uniform(4, 9)),
            "dropout": float(round(rng.integers(0, 11) * 0.05, 2)), "batch": int(rng.integers(1, 17) * 16),
            "optimizer": str(rng.choice(["adam", "sgd", "rmsprop"])), "activation": str(rng.choice(["relu", "tanh", "gelu"])),
        }
        state = rng.choice(["complete", "complete", "complete", "pruned", "failed"])
        start = now - timezone.timedelta(seconds=36_000 - number * 3.6)
        trials.append(Trial(
            study=study, number=number, params=params, state=state, revision=number + 1, worker=f"host-{number % 8}",
            value=None if state == "failed" else float((np.log10(params["lr"]) + 3) ** 2 + rng.normal(0, 0.1)),
            started_at=start, finished_at=start + timezone.timedelta(seconds=float(rng.uniform(5, 30))),
        ))
    Trial.objects.bulk_create(trials, batch_size=2000)
    ids = list(Trial.objects.filter(study=study).order_by("number").values_list("pk", flat=True))
    reports = [TrialReport(trial_id=pk, step=step, value=float(1.0 / (step + 1) + rng.normal(0, 0.01)))
               for pk in ids for step in range(n_reports)]
    TrialReport.objects.bulk_create(reports, batch_size=5000)
    return study, user


def measure(client, url, repeat, before=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, size, n_queries = [], 0, 0
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code, body[:300])
        size, n_queries = len(body), len(queries)
    return statistics.median(times), size, n_queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="No directory at")
    _setup_django()
    from django.core.cache import cache
    from django.test import Client

    started = time.perf_counter()
    study, user = build_study(args.trials, args.reports)
    print(f"built study #{study.pk}: {args.trials:,} trials × {len(SPACE)} params × {args.reports} reports "
          f"in {time.perf_counter() - started:.1f} s (SQLite, {os.environ['TUNER_VAR_DIR']})\n")
    client = Client()
    client.force_login(user)
    base = f"/studies/{study.pk}"
    cases = [("page", "study page HTML", f"{base}/", None), ("page", "studies list HTML", "/", None)]
    for name in ("parallel", "slices", "contour", "curves", "edf", "timeline", "importance"):
        cases.append(("chart", f"chart: {name}", f"{base}/charts/{name}.json?x=lr&y=optimizer", cache.clear))
    cases += [
        ("table", "trial table, page 1 by number", f"{base}/trials.json", None),
        ("table", "trial table, sorted by a param + filtered", f"{base}/trials.json?sort=params.lr&dir=desc&min_depth=4&state=complete", None),
        ("table", "trial table, page 150 sorted by value", f"{base}/trials.json?sort=value&page=150", None),
        (None, "live poll, nothing new", f"{base}/live.json?since={study.revision}", None),
        (None, "live poll, first load (5,000 per page)", f"{base}/live.json?since=0", None),
        (None, "export CSV (streamed)", f"{base}/export.csv", None),
    ]
    print(f"{'request':44} {'median ms':>10} {'target':>8} {'ratio':>6} {'bytes':>11} {'queries':>8}")
    for kind, label, url, before in cases:
        seconds, size, n_queries = measure(client, url, args.repeat, before)
        target_s, _ = TARGETS.get(kind, (None, None))
        ratio = f"{seconds / target_s:.2f}" if target_s else "—"
        target = f"{target_s * 1000:.0f}" if target_s else "—"
        print(f"{label:44} {seconds * 1000:10.1f} {target:>8} {ratio:>6} {size:11,} {n_queries:8}")
    print("\ntargets: page < 300 ms, chart < 500 ms and < 2,000,000 bytes, table page < 200 ms (ratio < 1 meets them)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average while measuring: {load} on {os.cpu_count()} cores (timings scale with it)")


if __name__ == "__main__":
    main()
