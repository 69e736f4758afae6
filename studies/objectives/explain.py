"""What drives the best model's predictions: column importance, partial dependence, and its mistakes.

Everything is measured on rows the model had not seen, with the trials' folds: in each fold
a copy of the model is fitted on the training rows, predicts the held-out rows (together,
the out-of-fold predictions that `cross_val_predict` would give), and has its permutation
importance measured on them. Permutation importance shuffles one ORIGINAL column at a
time (the pipeline's preprocessing runs after the shuffle, so a one-hot encoded column
counts once) and records how much the study's metric gets worse. Partial dependence is
read from the model refitted on every row, for the three most important columns.

Cost: the model is fitted once per fold (as in one trial), plus ``n_features x n_repeats``
predictions on at most `MAX_IMPORTANCE_ROWS` held-out rows in all, plus 20 predictions
per partial-dependence column on `MAX_PD_ROWS` rows.
"""

import math
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import partial_dependence, permutation_importance
from sklearn.metrics import confusion_matrix
from threadpoolctl import threadpool_limits

# The trials' folds; private in evaluate, imported rather than copied so both always agree.
from .evaluate import cv_folds
from .metrics import metric_direction, metric_words, score
from .tables import load_table

N_REPEATS = 2  # per fold: with 5 folds, each column is shuffled 10 times in all
MAX_IMPORTANCE_ROWS = 2_000
MAX_PD_ROWS = 500
N_PD_COLUMNS = 3
GRID_RESOLUTION = 20
MAX_PD_CATEGORIES = 20
MAX_POINTS = 2_000


def explain_model(model, X, y, kinds, task, metric, cv=5, *, target="target", n_repeats=N_REPEATS,
                  max_rows=MAX_IMPORTANCE_ROWS):
    """Explain a fitted model: what matters, how it bends the prediction, and where it errs.

    Args:
        model: The model refitted on every row: a Pipeline as `build_pipeline` makes, or
            any scikit-learn estimator taking X as it is.
        X, y: The data the study used (see `tables.load_table`).
        kinds: Feature name -> ``"numeric"``, ``"date"`` (days since 1970-01-01, read as a
            number) or ``"categorical"``, in X's column order.
        task: ``"classification"`` or ``"regression"``.
        metric: The study's metric; importance is the drop in it.
        cv: The study's number of folds.
        target: The target's name, for captions.
        n_repeats: Shuffles per column and fold.
        max_rows: Most held-out rows, over all folds, used for permutation importance.

    Returns:
        A JSON-ready dict: ``{"columns": [{"name", "importance", "importance_std"}],
        "columns_caption", "partial_dependence": [{"name", "kind", "grid" (days for a date
        column), "series":
        [{"label", "values"}], "quantity", "caption"}]}`` plus, for classification,
        ``"confusion_matrix": {"labels", "counts", "caption"}`` (rows are the real class,
        columns the predicted one), or for regression ``"predicted_vs_actual": {"actual",
        "predicted", "n_rows", "caption"}`` (at most 2,000 points, a fixed sample).
        Importance is in the metric's units, positive when shuffling makes it worse,
        most important first.

    Raises:
        ObjectiveError: Folds that cannot be made (field ``objective.cv``).
    """
    names = list(kinds)
    predicted, importances = _held_out(model, X, y, list(cv_folds(task, y, cv)), metric, n_repeats, max_rows)
    columns = _columns(names, importances)
    explained = {"columns": columns, "columns_caption": _columns_caption(columns, metric)}
    top = [column["name"] for column in columns[:N_PD_COLUMNS] if column["importance"] > 0]
    curves = (_partial_dependence(model, X, names, kinds, name, task, target) for name in top)
    explained["partial_dependence"] = [curve for curve in curves if curve is not None]
    if task == "classification":
        explained["confusion_matrix"] = _confusion(y, predicted, target)
    else:
        explained["predicted_vs_actual"] = _scatter(y, predicted, target)
    return explained


def explain_for(spec, model, dataset_path=None, **kwargs):
    """Explain a fitted model of a validated sklearn objective spec on its own data.

    Args:
        spec: A spec normalised by `validate_objective`, with its metric known.
        model: The model refitted on every row of that data.
        dataset_path: Path of the uploaded file, required for ``csv:`` datasets.
        **kwargs: Passed to `explain_model` (``n_repeats``, ``max_rows``).

    Returns:
        What `explain_model` returns.
    """
    table = load_table(spec, dataset_path)
    return explain_model(model, table.X, table.y, table.kinds, table.task, spec["metric"], spec["cv"],
                         target=table.target, **kwargs)


def _held_out(model, X, y, folds, metric, n_repeats, max_rows):
    """Out-of-fold predictions, and permutation importances (columns x shuffles) on held-out rows."""
    sign = 1.0 if metric_direction(metric) == "maximize" else -1.0

    def scorer(estimator, X_part, y_part):
        return sign * score(metric, estimator, X_part, y_part)

    predicted = np.empty(len(y), dtype=y.dtype)
    per_fold, rng = [], np.random.default_rng(0)
    rows_per_fold = max(1, math.ceil(max_rows / len(folds)))
    for train, test in folds:
        fitted = _quiet(lambda: clone(model).fit(X[train], y[train]))
        predicted[test] = _quiet(lambda: fitted.predict(X[test]))
        rows = test if len(test) <= rows_per_fold else np.sort(rng.choice(test, rows_per_fold, replace=False))
        result = _quiet(lambda: permutation_importance(fitted, X[rows], y[rows], scoring=scorer,
                                                       n_repeats=n_repeats, random_state=0))
        per_fold.append(result.importances)
    return predicted, np.concatenate(per_fold, axis=1)


def _quiet(work):
    # One thread for BLAS and OpenMP, as in trials: the workers are the parallelism. A
    # convergence warning repeats what the trials already knew.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return work()


def _columns(names, importances):
    means, stds = importances.mean(axis=1), importances.std(axis=1)
    columns = [{"name": name, "importance": _round(mean), "importance_std": _round(std)}
               for name, mean, std in zip(names, means, stds)]
    return sorted(columns, key=lambda column: -column["importance"])


def _columns_caption(columns, metric):
    name = metric_words(metric)
    if not columns or columns[0]["importance"] <= 0:
        return f"No single column matters much: shuffling any one of them barely changes the {name}."
    return (f"How much the {name} gets worse when one column's values are shuffled among rows the model had "
            f"not seen: the bigger the drop, the more the model relies on that column. "
            f"'{columns[0]['name']}' matters most.")


def _partial_dependence(model, X, names, kinds, name, task, target):
    """One column's partial dependence as plain records, or None when it has no values to vary."""
    j = names.index(name)
    rows = X if len(X) <= MAX_PD_ROWS else X[np.sort(np.random.default_rng(0).choice(len(X), MAX_PD_ROWS, replace=False))]
    categorical = kinds[name] == "categorical"
    grid = _grid(rows[:, j], categorical)
    if grid == []:
        return None  # every sampled value is missing: nothing to vary
    result = _quiet(lambda: partial_dependence(
        model, rows, [j], categorical_features=[j] if categorical else None, custom_values={j: grid} if grid is not None else None,
        grid_resolution=GRID_RESOLUTION, kind="average"))
    quantity, labels = _response(model, task, target)
    average = result["average"]
    series = [{"label": label, "values": [_round(v) for v in values]} for label, values in zip(labels, average)]
    return {"name": name, "kind": kinds[name], "grid": [_plain(v) for v in result["grid_values"][0]],
            "series": series, "quantity": quantity, "caption": _pd_caption(name, categorical, quantity, labels, target)}


def _grid(column, categorical):
    present = [v for v in column if not (isinstance(v, float) and math.isnan(v))]
    if categorical:
        values, counts = np.unique(np.asarray(present, dtype=object).astype(str), return_counts=True)
        return [str(v) for v in values[np.argsort(-counts, kind="stable")][:MAX_PD_CATEGORIES]]
    distinct = np.unique(np.asarray(present, dtype=float))
    # A column with few values (a count, a flag) is read at each of them rather than between.
    return distinct.tolist() if len(distinct) <= GRID_RESOLUTION else None


def _response(model, task, target):
    """What partial dependence averages, and one label per series."""
    if task == "regression":
        return "prediction", [target]
    classes = [_plain(c) for c in model.classes_]
    quantity = "probability" if hasattr(model, "predict_proba") else "score"
    # scikit-learn gives one curve for two classes: the later one, as metrics use.
    return quantity, classes[1:] if len(classes) == 2 else classes


def _pd_caption(name, categorical, quantity, labels, target):
    if quantity == "prediction":
        what = f"predicted '{target}'"
    elif quantity == "probability":
        what = f"chance of '{labels[0]}'" if len(labels) == 1 else "chance of each class"
    else:
        what = f"score for '{labels[0]}' (higher means more likely)" if len(labels) == 1 else \
            "score for each class (higher means more likely)"
    how = f"for each value of '{name}'" if categorical else f"as '{name}' changes"
    return f"The model's average {what} {how}, if every row had that value and kept everything else."


def _confusion(y, predicted, target):
    labels = np.unique(y)
    counts = confusion_matrix(y, predicted, labels=labels)
    right = np.trace(counts) / counts.sum()
    return {"labels": [_plain(label) for label in labels], "counts": counts.tolist(),
            "caption": (f"For each real '{target}' (rows), what the model answered (columns) for rows it had not "
                        f"seen; the diagonal is right: {right:.0%} of rows in all.")}


def _scatter(y, predicted, target):
    shown = np.arange(len(y))
    if len(y) > MAX_POINTS:
        shown = np.sort(np.random.default_rng(0).choice(len(y), MAX_POINTS, replace=False))
    return {"actual": [_round(v) for v in y[shown]], "predicted": [_round(v) for v in predicted[shown]],
            "n_rows": len(y),
            "caption": (f"Each point is a row the model had not seen: its real '{target}' across and the "
                        "prediction up; points on the diagonal are exact.")}


def _plain(value):
    """A numpy scalar as the matching Python value, so the result is JSON-ready."""
    value = value.item() if hasattr(value, "item") else value
    return _round(value) if isinstance(value, float) else value


def _round(value):
    return float(f"{float(value):.6g}")
