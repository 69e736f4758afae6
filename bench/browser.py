"""The study page in a real browser: from navigation until every chart has drawn, beside
optuna-dashboard on the same trials.

For each size, builds the bench study (bench/study_data.py) in a throw-away SQLite database
and the same trials in an Optuna storage, serves Tuner with gunicorn as production does
(static files through WhiteNoise, compressed) and optuna-dashboard with its own server, and
opens each study page in Chromium (Playwright, /usr/bin/chromium) with a fresh browser
profile every time. It reports the time from navigation until every chart holds a drawn
Plotly figure (its `.main-svg`; for optuna-dashboard, until its history chart shows the
trials, a lower bound), the bytes that crossed the network (as sent: compressed
where the server compressed), how often each chart's JSON was fetched, and the web server's
peak memory.

    .venv/bin/python bench/browser.py [--trials 10000 100000] [--repeat 3] [--before DIR]

The first opening of each study finds the server's figure cache empty (what the first
viewer after a change pays); the median is of the openings after it. With `--before DIR` (another
checkout, e.g. a detached worktree of main), that checkout serves a copy of the same data beside
this one, and the openings alternate between the two, so a busy machine weighs on both alike.

Every opening above is a first visit: a fresh profile, so no static file in the HTTP cache and
plotly.js compiled from scratch. With `--returning`, each page is also opened as often in a new tab
of one profile kept for it, the way a visitor coming back to the study page opens it (static files
from the HTTP cache while they are fresh, plotly.js's compiled code from V8's code cache; the
study's JSON, never cached, fetched afresh): those rows say ", returning", beside the others, not
instead of them.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from servers import wait_for

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
TARGETS_S = {10_000: 1.0, 100_000: 2.0}
TIMEOUT_S = 180
# Every chart container of the study page has drawn (or says why it is empty). The history's
# "no finished trials yet" shows until the page's first poll has drawn it, and the bench study
# has finished trials: it counts only once drawn.
TUNER_DRAWN = """() => {
  const charts = [...document.querySelectorAll('#chart-history, [data-chart]')];
  const said = (c) => c.id !== 'chart-history' && (document.getElementById('empty-' + c.id.slice(6)) || {}).hidden === false;
  const drawn = (c) => c.querySelector('.main-svg') || said(c);
  return charts.length > 0 && charts.every(drawn) ? performance.now() : false;
}"""
# optuna-dashboard's study page draws its history chart once the whole study's JSON has arrived:
# that chart showing the trials is taken as its page drawn, a lower bound for all of its charts.
OPTUNA_DRAWN = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  const shown = plots.some((p) => (p.data || []).some((t) => (t.x || []).length > 0));
  return shown ? performance.now() : false;
}"""


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _env(var_dir):
    """Tuner on its own SQLite file and its own file cache in `var_dir`: nothing shared with
    another Tuner on this machine (a broker URL that is not Redis makes the cache files)."""
    env = {**os.environ, "TUNER_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "tuner_site.settings",
           "CELERY_BROKER_URL": "memory://"}
    env.pop("DATABASE_URL", None)
    return env


def prepare(n_trials, var_dir):
    """Build both copies of the study in `var_dir`; return (study id, session cookie, optuna study id)."""
    env = _env(var_dir)
    script = (
        "import sys; sys.path.insert(0, %r)\n"
        "from bench import study_data\n"
        "study_data.setup_django()\n"
        "from django.core.management import call_command\n"
        "from django.test import Client\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "study, user, optuna_id = study_data.build_study(%d, 10, %r)\n"
        "client = Client(); client.force_login(user)\n"
        "print(study.pk, client.cookies['sessionid'].value, optuna_id)\n"
    ) % (str(ROOT), n_trials, str(var_dir / "optuna.sqlite3"))
    out = subprocess.run([PYTHON, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    study_id, session, optuna_id = out.stdout.split()[-3:]
    return int(study_id), session, int(optuna_id)


def copy_for(root, var_dir):
    """A copy of `var_dir`'s data (database, secret key, so the session holds) for the checkout at
    `root`, with that checkout's own static files; returns the copy's var dir."""
    copy = Path(f"{var_dir}-before")
    copy.mkdir()
    for name in ("tuner.sqlite3", "secret_key"):
        shutil.copy2(var_dir / name, copy / name)
    script = ("import django; django.setup()\nfrom django.core.management import call_command\n"
              "call_command('collectstatic', interactive=False, verbosity=0)\n")
    subprocess.run([PYTHON, "-c", script], env=_env(copy), cwd=root, check=True, capture_output=True)
    return copy


def serve_tuner(var_dir, root=ROOT):
    """gunicorn as in production (tuner_site/gunicorn_conf.py), one worker so its memory is the web process's."""
    port = _free_port()
    env = _env(var_dir)
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "python:tuner_site.gunicorn_conf", "tuner_site.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_for(f"http://127.0.0.1:{port}/accounts/login/", process)
    return process, f"http://127.0.0.1:{port}"


def serve_optuna(var_dir):
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "optuna-dashboard"), f"sqlite:///{var_dir / 'optuna.sqlite3'}",
         "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    wait_for(f"http://127.0.0.1:{port}/api/meta", process)
    return process, f"http://127.0.0.1:{port}"


def stop(process):
    """Stop a server started here and every process it started (its own session)."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:  # still busy with a request it will never finish for us
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _workers(process):
    """gunicorn's worker pids (the children of the arbiter), or the process itself."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return children or [str(process.pid)]


def worker_cpu_s(process):
    """The CPU time gunicorn's worker has used so far (user and system), in seconds."""
    ticks = 0
    for pid in _workers(process):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (the 14th and 15th of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(process):
    """The peak resident memory of gunicorn's worker (the child of the arbiter), in MB."""
    peaks = []
    for pid in _workers(process):
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


# Chromium 136 and later build the omnibox popup of every new window as a WebUI page in a renderer
# of its own: each opening here is a new context and so a new window, and that renderer (about
# 0.55 s of CPU) and the browser's work for it (about 0.2 s) ran beside the study page at every
# opening (bench/README.md, issue 15, eighth round). A person opening the page in a window already
# open pays none of it. These three features turn it off (all three are needed).
OMNIBOX_POPUP = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup")


def launch(playwright, omnibox_popup=True):
    """Chromium as Playwright launches it; with `omnibox_popup` False, without a window's omnibox
    popup (see `chromium_args`)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args(playwright, omnibox_popup))


def launch_returning(playwright, profile, omnibox_popup=True):
    """Chromium with one lasting profile on disk, as a person's browser has. Playwright's own contexts
    (`browser.new_context`) are off-the-record profiles, whose HTTP cache is kept but never V8's
    code cache: a tab of one opening plotly.js for the third time still compiled all of it (a
    persistent profile's third opening read 2.4 MB of compiled code back instead; bench/README.md,
    issue 15, ninth round)."""
    return playwright.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=chromium_args(playwright, omnibox_popup),
        viewport={"width": 1366, "height": 900}, bypass_csp=True)


def chromium_args(playwright, omnibox_popup):
    """Chromium's switches: none, or without a window's omnibox popup. Chromium reads only the last
    --disable-features switch and Playwright passes its own list first, so that list is read from a
    first launch and repeated with the three added."""
    if omnibox_popup:
        return []
    browser = playwright.chromium.launch(executable_path=CHROMIUM)
    ours = set(_descendants(os.getpid()))
    found = []
    for pid in ours:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except FileNotFoundError:
            continue
        if argv[0].endswith("chromium") and not any(a.startswith("--type=") for a in argv):
            found = [a.split("=", 1)[1] for a in argv if a.startswith("--disable-features=")]
    browser.close()
    features = ",".join([*found[-1:], *OMNIBOX_POPUP])
    return [f"--disable-features={features}"]


def _descendants(pid):
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def new_context(browser, url, cookie):
    """A fresh browser profile (an empty HTTP cache, no compiled scripts), signed in with `cookie`."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    if cookie:
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": url}])
    return context


def open_once(browser, url, drawn, arg=None, cookie=None, timeout_s=None, context=None, server=None, latency_ms=0):
    """Open `url` in a fresh profile, or in a new tab of `context` (a profile that has opened the page
    before: a returning visitor), with `latency_ms` added to every request's round trip (Chromium's
    network emulation; a cache hit makes none); (seconds until drawn, bytes over the network, fetches
    per JSON path, each chart's drawing, the page's main-thread CPU until drawn, the CPU the `server`
    process used from navigation until drawn)."""
    timeout_s = timeout_s or TIMEOUT_S
    returning = context is not None
    context = context or new_context(browser, url, cookie)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    if latency_ms:
        network = context.new_cdp_session(page)
        network.send("Network.enable")
        network.send("Network.emulateNetworkConditions", {"offline": False, "latency": latency_ms,
                                                          "downloadThroughput": -1, "uploadThroughput": -1})
    server_before = worker_cpu_s(server) if server else None
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    # The page's main thread's CPU time until drawn: on a machine other work keeps busy, wall
    # time waits for a core, where CPU time counts only the page's own work.
    metrics = context.new_cdp_session(page)
    metrics.send("Performance.enable")
    try:
        drawn_ms = page.wait_for_function(drawn, arg=arg, polling=50, timeout=timeout_s * 1000).json_value()
        found = {m["name"]: m["value"] for m in metrics.send("Performance.getMetrics")["metrics"]}
        cpu_s = found["ThreadTime"]
        server_s = worker_cpu_s(server) - server_before if server else None
    except PlaywrightTimeout:
        drawn_ms = cpu_s = server_s = None  # not drawn within timeout_s
    page.wait_for_timeout(1500)  # let a second wave of fetches, if any, show itself
    # Each chart's drawing time, as static/js/charts.js measures it (none on optuna-dashboard).
    draws = page.evaluate("performance.getEntriesByType('measure').filter((m) => m.name.startsWith('chart '))"
                          ".map((m) => [m.name.slice(6), Math.round(m.duration)])")
    n_bytes = 0
    fetches = Counter()
    for request in finished:
        sizes = request.sizes()
        n_bytes += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        path = request.url.split("?")[0].split("/", 3)[-1]
        if path.endswith(".json") or "/api/" in f"/{path}":  # fetched, or preloaded for a fetch
            fetches[path] += 1
    if returning:
        page.close()
    else:
        context.close()
    return (drawn_ms / 1000 if drawn_ms is not None else None), n_bytes, fetches, draws, cpu_s, server_s


def measure(browser, label, url, drawn, arg, cookie, repeat):
    return measure_alternately(browser, [(label, url)], drawn, arg, cookie, repeat)[0]


def measure_alternately(browser, pages, drawn, arg, cookie, repeat, returning=None, servers=None, away_s=0,
                        latency_ms=0):
    """Each of `pages` ((label, url)) opened 1 + `repeat` times, in turn, each time in a fresh
    profile; with `returning` (a lasting profile, `launch_returning`), each is also opened as often in
    a new tab of it, as a returning visitor does (static files from the HTTP cache, plotly.js's
    compiled code from V8's code cache; the study's JSON, never cached, fetched afresh), after two
    openings there that are not counted (V8 keeps a script's code from its second load on), made
    once every page has had its first, fresh opening (which finds the server's figure cache empty);
    reported under the label plus ", returning". With `away_s`, each returning opening comes at
    least that long after the same page's previous one (a visitor back after a while: static files
    past their cache lifetime are asked for again). `servers` (label: process) adds each server's
    CPU per opening; `latency_ms`, a round trip's added latency (`open_once`)."""
    kinds = [(label, url, None) for label, url in pages]
    if returning is not None:
        kinds += [(f"{label}, returning", url, returning) for label, url in pages]
        for label, url in pages:
            returning.add_cookies([{"name": "sessionid", "value": cookie, "url": url}])
    runs = {label: [] for label, _, _ in kinds}
    last_opened = {}
    for i in range(1 + repeat):
        for label, url, context in kinds:
            if i == 0 and context is not None:
                for _ in range(2):
                    open_once(browser, url, drawn, arg, cookie, context=context)
            if context is not None:
                time.sleep(max(0.0, last_opened.get(label, 0.0) + away_s - time.monotonic()))
                last_opened[label] = time.monotonic()
            # A page that never drew once is not opened again: each try would wait out the timeout.
            if i == 0 or runs[label][0][0] is not None:
                server = (servers or {}).get(label.removesuffix(", returning"))
                runs[label].append(open_once(browser, url, drawn, arg, cookie, context=context, server=server,
                                             latency_ms=latency_ms))
    found = []
    for label, _, context in kinds:
        first, *later = runs[label]
        times = [run[0] for run in later if run[0] is not None]
        warm = statistics.median(times) if times and len(times) == len(later) else None
        cpus = [run[4] for run in later if run[4] is not None]
        server_cpus = [run[5] for run in later if run[5] is not None]
        # A returning visitor's bytes are those of its later openings (its first was counted after two).
        n_bytes = first[1] if context is None else statistics.median(run[1] for run in later or [first])
        found.append({"label": label, "cold_s": first[0], "warm_s": warm, "bytes": n_bytes, "fetches": first[2],
                      "draws": (later or [first])[-1][3], "later_s": [run[0] for run in later],
                      "cpu_s": statistics.median(cpus) if cpus else None,
                      "server_cpu_s": statistics.median(server_cpus) if server_cpus else None})
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-optuna", action="store_true", help="skip optuna-dashboard")
    parser.add_argument("--no-omnibox-popup", action="store_true", help="launch Chromium without a new window's "
                        "omnibox popup (a renderer of its own beside the page at every opening)")
    parser.add_argument("--returning", action="store_true", help="also open each page as a returning visitor "
                        "does, in a new tab of a browser profile that has opened it before (reported beside the "
                        "fresh-profile figures, as their own rows)")
    parser.add_argument("--away", type=float, default=0, metavar="S", help="with --returning, open each page "
                        "there at least S seconds after its previous opening there (61: past the 60 s that "
                        "WhiteNoise gives a static file without a hash in its name)")
    parser.add_argument("--latency", type=float, default=0, metavar="MS", help="add MS to every request's round "
                        "trip, as a network between the browser and the server would (Chromium's emulation)")
    parser.add_argument("--before", type=Path, help="another checkout to serve the same data beside this one, "
                        "opened in alternation with it")
    args = parser.parse_args()

    results = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="tuner-browser-profile-") as profile:
        browser = launch(playwright, omnibox_popup=not args.no_omnibox_popup)
        returning = launch_returning(playwright, profile, not args.no_omnibox_popup) if args.returning else None
        for n_trials in args.trials:
            var_dir = Path(tempfile.mkdtemp(prefix=f"tuner-browser-{n_trials}-"))
            started = time.perf_counter()
            study_id, session, optuna_id = prepare(n_trials, var_dir)
            print(f"built {n_trials:,} trials twice (Tuner, Optuna) in {time.perf_counter() - started:.0f} s", flush=True)
            servers = [("", serve_tuner(var_dir))]
            try:
                if args.before:
                    servers.append((", before", serve_tuner(copy_for(args.before.resolve(), var_dir), args.before)))
                pages = [(f"Tuner, {n_trials:,} trials{suffix}", f"{url}/studies/{study_id}/")
                         for suffix, (_, url) in servers]
                by_label = {label: process for (label, _), (_, (process, _)) in zip(pages, servers)}
                found = measure_alternately(browser, pages, TUNER_DRAWN, None, session, args.repeat, returning, by_label,
                                            args.away, args.latency)
                for one, (_, (process, _)) in zip(found, servers + servers):
                    one["memory_mb"] = peak_memory_mb(process)
            finally:
                for _, (process, _) in servers:
                    stop(process)
            for one in found:
                one["target_s"] = TARGETS_S.get(n_trials)
                results.append(one)
                _print(one)
            if args.no_optuna:
                continue
            optuna, url = serve_optuna(var_dir)
            try:
                found = measure(browser, f"optuna-dashboard, {n_trials:,} trials",
                                f"{url}/dashboard/studies/{optuna_id}", OPTUNA_DRAWN, None, None, args.repeat)
            finally:
                stop(optuna)
            results.append(found)
            _print(found)
        browser.close()
        if returning is not None:
            returning.close()
    print()
    print("| study page | first opening (s) | median of later openings (s) | page's main-thread CPU until drawn (s) | "
          "web server's CPU until drawn (s) | target (s) | bytes over the network | web process peak (MB) | "
          "JSON fetched (times each) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        fetches = ", ".join(f"{path} ×{n}" for path, n in sorted(r["fetches"].items()))
        print(f"| {r['label']} | {_seconds(r['cold_s'])} | {_seconds(r['warm_s'])} | {_seconds(r['cpu_s'])} | "
              f"{_cpu(r.get('server_cpu_s'))} | "
              f"{r.get('target_s') or '—'} | {r['bytes']:,} | {r.get('memory_mb', float('nan')):.0f} | {fetches} |")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nmachine load average: {load} on {os.cpu_count()} cores")


def _cpu(value):
    return f"{value:.2f}" if value is not None else "—"


def _seconds(value):
    return f"{value:.2f}" if value is not None else f"not drawn in {TIMEOUT_S} s"


def _print(found):
    later = ", ".join(_seconds(s) for s in found.get("later_s", []))
    print(f"{found['label']}: drawn after {_seconds(found['cold_s'])} s (first), {_seconds(found['warm_s'])} s (median later: {later}); "
          f"main-thread CPU {_seconds(found.get('cpu_s'))} s; web server CPU {_cpu(found.get('server_cpu_s'))} s; "
          f"{found['bytes']:,} bytes; web process peak {found.get('memory_mb', float('nan')):.0f} MB; "
          f"fetches {dict(found['fetches'])}", flush=True)
    if found["draws"]:
        print("  drawing each chart (ms, last opening): " + ", ".join(f"{name} {ms}" for name, ms in found["draws"]),
              flush=True)


if __name__ == "__main__":
    main()
