"""Let Tuner choose the model, against FLAML, H2O AutoML and every family at its defaults.

    .venv/bin/python bench/automl.py                       # every dataset, 50 trials
    .venv/bin/python bench/automl.py --datasets penguins cars --n-trials 20 --no-h2o

Per dataset (bench/tabular.py), written to a CSV and read back with Tuner's CSV reader:

- Tuner: the default study of an ``"estimator": "auto"`` objective, run as workers run
  it: the starting trials (`initial_params`, which the service enqueues) first, then
  the ``auto`` sampler's asks made exactly as the service makes them (``make_sampler``
  and ``sample`` with ``rng_for(seed, number)``; the engine's ``Optimizer`` cannot take
  enqueued trials), each evaluated by ``evaluate_details`` on the CSV path, one at a
  time. Then the ensemble of the best families (`ensemble_members`, `evaluate_ensemble`),
  which is the result only when `ensemble_beats` says so. Its wall time is the budget.
- FLAML (``flaml[automl]``) with ``time_budget`` = Tuner's wall time, the same metric,
  ``eval_method="cv"`` and the same splitter object (FLAML does not reshuffle the rows
  when given a splitter), ``n_jobs=1``. Its score is its own best CV score.
- H2O AutoML (``h2o``, its Java server on this machine) with ``max_runtime_secs`` =
  Tuner's wall time, one thread, the same folds as a fold column; every model on its
  leaderboard is scored with our metric on its cross-validation holdout predictions
  (classes by the highest probability), and the best is reported.
- Every family at scikit-learn's defaults (``params={}``), the same CV; the best one.

All three sides train on one core, one after the other, on the same shared machine.
"""

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tabular  # noqa: E402

from studies.engine import SearchSpace, TrialRecord, make_sampler, rng_for  # noqa: E402
from studies.objectives import default_search_space, evaluate_details, load_csv, metric_direction  # noqa: E402
from studies.objectives.automl import families  # noqa: E402
from studies.objectives.ensemble import ensemble_beats, ensemble_members, evaluate_ensemble  # noqa: E402
from studies.objectives.evaluate import cv_folds  # noqa: E402
from studies.objectives.leaderboard import build_leaderboard  # noqa: E402
from studies.objectives.metrics import score  # noqa: E402
from studies.objectives.spaces import initial_params  # noqa: E402

CV = 5
SEED = 0


def _spec(table):
    return {"kind": "sklearn", "estimator": "auto", "dataset": "csv:bench", "target": table.target,
            "metric": table.metric, "cv": CV, "task": table.task}


def run_tuner(table, path, n_trials, seed=SEED):
    """The default study, then the ensemble; returns the trials, the result and the time."""
    spec = _spec(table)
    direction = metric_direction(table.metric)
    space = SearchSpace.from_json(default_search_space("auto", table.task))
    sampler = make_sampler({"name": "auto", "n_trials": n_trials}, seed=seed)
    queue = initial_params("auto", table.task)[:n_trials]
    records, rows = [], []
    start = time.perf_counter()
    for number in range(n_trials):
        if queue:
            params = queue.pop(0)
        else:
            params = sampler.sample(space, tuple(records), rng_for(seed, number), [direction])
        try:
            details = evaluate_details(spec, params, dataset_path=path)
        except ValueError as exc:  # ObjectiveError: the trial fails, as on a worker
            print(f"  trial {number} failed: {exc}", file=sys.stderr)
            records.append(TrialRecord(number=number, params=params, state="failed"))
            continue
        records.append(TrialRecord(number=number, params=params, state="complete", value=details.value))
        rows.append({"number": number, "params": params, "value": details.value, "state": "complete",
                     "details": details.to_json()})
    study_s = time.perf_counter() - start
    board = build_leaderboard(rows, direction, "auto")
    best = next(r for r in rows if r["number"] == board["families"][0]["trial"])
    members = ensemble_members(rows, direction, "auto")
    ensemble, offered = None, False
    if members:
        ensemble = evaluate_ensemble(spec, [rows[n]["params"] for n in members], dataset_path=path)
        offered = ensemble_beats(ensemble.fold_scores, best["details"]["fold_scores"], direction)
    total_s = time.perf_counter() - start
    if offered:
        value, std, label = ensemble.value, ensemble.cv_std, "ensemble of " + "+".join(
            rows[n]["params"]["estimator"] for n in members)
    else:
        value, std, label = best["value"], best["details"]["cv_std"], best["params"]["estimator"]
    return {"value": value, "std": std, "label": label, "study_s": study_s, "time_s": total_s,
            "board": board, "ensemble": None if ensemble is None else ensemble.value, "offered": offered}


def run_defaults(table, path):
    """Every family at scikit-learn's defaults: {family: CV mean}."""
    spec = _spec(table)
    return {name: evaluate_details({**spec, "estimator": name}, {}, dataset_path=path).value
            for name in families("auto", table.task)}


def _frame(table, path):
    import pandas as pd

    frame = pd.read_csv(path)
    y = frame.pop(table.target)
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category")  # FLAML's native categorical handling
    return frame, y


def _splitter(table):
    from sklearn.model_selection import KFold, StratifiedKFold

    if table.task == "classification":
        return StratifiedKFold(n_splits=CV, shuffle=True, random_state=0)  # as evaluate's cv_folds
    return KFold(n_splits=CV, shuffle=True, random_state=0)


def run_flaml(table, path, budget_s):
    """FLAML at the same wall-clock budget; its best CV score and its time."""
    from flaml import AutoML

    X, y = _frame(table, path)
    automl = AutoML()
    start = time.perf_counter()
    automl.fit(X_train=X, y_train=y, task=table.task, metric=table.metric, time_budget=budget_s,
               eval_method="cv", split_type=_splitter(table), seed=SEED, n_jobs=1, verbose=0,
               retrain_full=False)
    # FLAML minimises 1 - metric for accuracy, roc_auc and r2.
    return {"value": 1.0 - automl.best_loss, "label": automl.best_estimator, "time_s": time.perf_counter() - start}


def run_h2o(table, path, budget_s):
    """H2O AutoML at the same budget on the same folds; its best model by our metric."""
    import h2o
    import pandas as pd
    from h2o.automl import H2OAutoML

    X, y, _ = load_csv(path, table.target, task=table.task)
    fold = np.zeros(len(y), dtype=int)
    folds = list(cv_folds(table.task, y, CV))
    for i, (_, test) in enumerate(folds):
        fold[test] = i
    frame = pd.read_csv(path).assign(bench_fold=fold)
    h2o_frame = h2o.H2OFrame(frame)
    if table.task == "classification":
        h2o_frame[table.target] = h2o_frame[table.target].asfactor()
    automl = H2OAutoML(max_runtime_secs=max(int(round(budget_s)), 1), seed=SEED, verbosity=None,
                       keep_cross_validation_predictions=True, project_name=f"bench_{table.name}")
    start = time.perf_counter()
    automl.train(y=table.target, training_frame=h2o_frame, fold_column="bench_fold")
    elapsed = time.perf_counter() - start
    best_value, best_label = None, None
    sign = 1.0 if metric_direction(table.metric) == "maximize" else -1.0
    for model_id in automl.leaderboard.as_data_frame(use_multi_thread=False)["model_id"]:
        value = _h2o_cv_score(h2o.get_model(model_id), table, y, folds)
        if value is not None and (best_value is None or sign * value > sign * best_value):
            best_value, best_label = value, model_id.split("_AutoML")[0]
    h2o.remove_all()
    return {"value": best_value, "label": best_label, "time_s": elapsed}


class _Holdout:
    """Holdout predictions seen as a fitted model, for metrics.score."""

    def __init__(self, frame, classes):
        self.frame, self.classes_ = frame, classes

    def predict(self, rows):
        if self.classes_ is None:
            return self.frame["predict"].to_numpy()[rows]
        return self.classes_[np.argmax(self.predict_proba(rows), axis=1)]

    def predict_proba(self, rows):
        # H2O names probability columns by class, with a "p" before classes that are numbers.
        columns = [str(c) if str(c) in self.frame else f"p{c}" for c in self.classes_]
        return self.frame[columns].to_numpy(dtype=float)[rows]


def _h2o_cv_score(model, table, y, folds):
    predictions = model.cross_validation_holdout_predictions()
    if predictions is None:
        return None
    frame = predictions.as_data_frame(use_multi_thread=False)
    classes = np.unique(y) if table.task == "classification" else None
    holdout = _Holdout(frame, classes)
    # score() calls predict(X) on the fold's "features": here the row indices themselves.
    return float(np.mean([score(table.metric, holdout, test, y[test]) for _, test in folds]))


def _fmt(value, digits=4):
    return "n/a" if value is None else f"{value:.{digits}f}"


def _verdict(tuner, rival, std, direction):
    if rival is None:
        return "n/a"
    gap = (tuner - rival) if direction == "maximize" else (rival - tuner)
    if gap > 0:
        return "ahead"
    return "level" if -gap <= std else "behind"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(tabular.TABLES), choices=list(tabular.TABLES))
    parser.add_argument("--n-trials", type=int, default=50)
    parser.add_argument("--no-flaml", action="store_true")
    parser.add_argument("--no-h2o", action="store_true")
    parser.add_argument("--json", help="also write every figure to this JSON file")
    parser.add_argument("--h2o-port", type=int, default=54321, help="port of this run's own H2O server")
    parser.add_argument("--rivals-only", type=float, metavar="BUDGET_S",
                        help="run only FLAML and H2O (per --no-flaml/--no-h2o) at this budget, e.g. a "
                             "Tuner time from an earlier run, so slow rivals can run beside each other")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    print(f"load average at start: {open('/proc/loadavg').read().split()[:3]}", flush=True)
    if not args.no_h2o:
        import h2o

        h2o.init(nthreads=1, max_mem_size="2G", port=args.h2o_port, verbose=False)
        h2o.no_progress()
    results, wall = [], time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.datasets:
            table = tabular.TABLES[name]()
            path = table.write_csv(os.path.join(tmp, f"{name}.csv"))
            print(f"\n## {name} ({table.source}): {table.describe()}; {table.task}, {table.metric}", flush=True)
            if args.rivals_only:
                flaml = None if args.no_flaml else run_flaml(table, path, args.rivals_only)
                h2o_result = None if args.no_h2o else run_h2o(table, path, args.rivals_only)
                print(f"  FLAML {flaml}\n  H2O {h2o_result}", flush=True)
                continue
            tuner = run_tuner(table, path, args.n_trials)
            for row in tuner["board"]["families"]:
                print(f"  {row['estimator']:<24} {_fmt(row['best_value'])} ± {_fmt(row['cv_std'])} "
                      f"fit {row['fit_time_s']:.2f} s, trial {row['trial']}, {row['n_trials']} trials")
            print(f"  ensemble {_fmt(tuner['ensemble'])} offered: {tuner['offered']}; "
                  f"study {tuner['study_s']:.0f} s, total {tuner['time_s']:.0f} s", flush=True)
            defaults = run_defaults(table, path)
            flaml = None if args.no_flaml else run_flaml(table, path, tuner["time_s"])
            h2o_result = None if args.no_h2o else run_h2o(table, path, tuner["time_s"])
            results.append({"name": name, "rows": len(table.frame), "metric": table.metric, "tuner": tuner,
                            "defaults": defaults, "flaml": flaml, "h2o": h2o_result})
            print(f"  FLAML {flaml}\n  H2O {h2o_result}\n  defaults {defaults}", flush=True)
            _rows(results[-1:])  # at once, so a long run gives its figures dataset by dataset
    _table(results)
    print(f"\nwall time {time.perf_counter() - wall:.0f} s; load average at end: "
          f"{open('/proc/loadavg').read().split()[:3]}")
    if not args.no_h2o:
        h2o.cluster().shutdown()
    if args.json:
        for r in results:
            r["tuner"].pop("board")
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


def _table(results):
    print("\n| dataset | rows | metric | Tuner (± CV std) | Tuner's model | time s | FLAML | time s | Tuner/FLAML "
          "| vs FLAML | H2O | time s | vs H2O | best default | vs default |")
    print("|---" * 15 + "|")
    _rows(results)


def _rows(results):
    for r in results:
        t, f, h = r["tuner"], r["flaml"] or {}, r["h2o"] or {}
        direction = metric_direction(r["metric"])
        sign = 1.0 if direction == "maximize" else -1.0
        family, default = max(r["defaults"].items(), key=lambda item: sign * item[1])
        ratio = "n/a" if f.get("value") in (None, 0) else f"{t['value'] / f['value']:.3f}"
        beats_default = "ahead" if sign * (t["value"] - default) > 0 else "NOT ahead"
        print(f"| {r['name']} | {r['rows']} | {r['metric']} | {_fmt(t['value'])} ± {_fmt(t['std'])} | {t['label']} "
              f"| {t['time_s']:.0f} | {_fmt(f.get('value'))} | {_fmt(f.get('time_s'), 0)} | {ratio} "
              f"| {_verdict(t['value'], f.get('value'), t['std'], direction)} | {_fmt(h.get('value'))} "
              f"| {_fmt(h.get('time_s'), 0)} | {_verdict(t['value'], h.get('value'), t['std'], direction)} "
              f"| {_fmt(default)} ({family}) | {beats_default} |")


if __name__ == "__main__":
    main()
