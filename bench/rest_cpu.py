"""CPU per trial through REST: one gunicorn process of one thread, one client asking and
telling in turn, so no request waits for another and what is counted is what a trial costs.

    .venv/bin/python bench/rest_cpu.py [--pairs 300] [--databases postgres] [--pyspy profile.txt] [--ask-next]

A trial is an ask and a tell (two requests), or with `--ask-next` one tell with `"ask_next": true`
that hands out the next trial (one request; `tuner-agent`'s loop).

Prints the CPU seconds the gunicorn worker and its PostgreSQL backends spent per pair (read from
/proc), wall time and p50. CPU per pair moves far less than throughput when other work shares the
machine, so this is the figure to compare before and after a change to the request path; the
throughput beside Optuna is bench/load.py's. `--pyspy` records the worker with py-spy (`--gil`,
raw collapsed stacks, 500 Hz) while the pairs run.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import load


def cpu_s(pid):
    """User + system CPU seconds of one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backends_cpu(database_url):
    """CPU seconds of each PostgreSQL backend connected to the database, by pid."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(load.PG_ADMIN, autocommit=True) as conn:
        pids = [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])]
    found = {}
    for pid in pids:
        try:
            found[pid] = cpu_s(pid)
        except OSError:
            pass
    return found


def run(kind, args):
    with tempfile.TemporaryDirectory(prefix="tuner-rest-cpu-") as tmp:
        ours, _, drop = load.new_database(kind, tmp)
        tuner = load.Tuner(ours, tmp, web_workers=1, web_threads=1)
        try:
            worker = next(pid for pid in load.tree_pids(tuner.web.pid) if pid != tuner.web.pid)
            study = tuner.call("POST", "/api/studies/", {
                "name": "cpu", "objective": {"kind": "external"}, "budget": {"n_trials": args.pairs + 50},
                "sampler": {"name": "random"}, "search_space": {"x": {"type": "float", "low": -5, "high": 5}}})

            held = [None]

            def pair():
                if args.ask_next:
                    trial = held[0] or tuner.call("POST", f"/api/studies/{study['id']}/ask/")
                    body = {"value": trial["params"]["x"] ** 2, "ask_next": True}
                    held[0] = tuner.call("POST", f"/api/trials/{trial['id']}/tell/", body)["next_trial"]
                    return
                trial = tuner.call("POST", f"/api/studies/{study['id']}/ask/")
                tuner.call("POST", f"/api/trials/{trial['id']}/tell/", {"value": trial["params"]["x"] ** 2})

            for _ in range(30):  # the process's token, connections and caches warm
                pair()
            spy = None
            if args.pyspy:
                spy = subprocess.Popen([str(load.ROOT / ".venv/bin/py-spy"), "record", "-o", args.pyspy, "--pid",
                                        str(worker), "-r", "500", "--nonblocking", "--gil", "-f", "raw"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            backends = backends_cpu(ours) if kind == "postgres" else {}
            web, started, latencies = cpu_s(worker), time.perf_counter(), []
            for _ in range(args.pairs):
                begin = time.perf_counter()
                pair()
                latencies.append(time.perf_counter() - begin)
            web, wall = cpu_s(worker) - web, time.perf_counter() - started
            # A backend that replaced another (CONN_MAX_AGE) counts from zero.
            database = sum(now - backends.get(pid, 0) for pid, now in backends_cpu(ours).items()) if backends else None
            if spy:
                spy.send_signal(2)
                spy.wait()
        finally:
            tuner.stop()
            drop()
    per = 1e3 / args.pairs
    db = f"{database * per:.2f} ms" if database is not None else "—"
    print(f"| {kind}{' (ask_next)' if args.ask_next else ''} | {web * per:.2f} ms | {db} | {wall * per:.1f} ms | {statistics.median(latencies) * 1e3:.1f} ms |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=int, default=300)
    parser.add_argument("--databases", default="postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--ask-next", action="store_true", help="one tell with ask_next per trial, not ask + tell")
    parser.add_argument("--pyspy", help="write the worker's py-spy profile (raw collapsed stacks) here")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| database | web CPU per trial | PostgreSQL CPU per trial | wall per trial | p50 of a trial |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind in args.databases.split(","):
        run(kind, args)


if __name__ == "__main__":
    sys.exit(main())
