"""Flagging columns that give the answer away (leakage).

A column leaks when it holds the target itself or something computed from it: a copy under
other labels (``churned`` = yes/no beside ``churn`` = 1/0), the target in other units, or
parts that add up to it (``registered`` + ``casual`` = ``bikers``). A model trained with such
a column scores near perfectly in the study and fails on new rows, where the column is not
known yet. Honest strong predictors are not copies, so the test asks for near perfection:

- each column alone, through a decision tree of depth 4 (classification) or 6 (regression)
  scored by 3-fold cross-validation: balanced accuracy (so always answering the common
  class scores nothing) or R², at least `LEAK_SCORE` = 0.98. Categorical columns are
  target-encoded first, so any relabelling of the classes is one split. On scikit-learn's
  datasets the best honest single column scores 0.95 balanced accuracy (iris petal
  width; breast cancer 0.89, wine 0.79) and R² 0.15 (diabetes), measured with this code,
  so 0.98 leaves room; a copy scores 1.0.
- for regression, every pair of numeric columns through a straight-line fit: R² of at
  least `PAIR_R2` = 0.999, which a sum or difference reaches up to rounding and two honest
  measurements practically never do.

Only a sample of rows is tested (the caller passes it), so the cost is bounded whatever
the file's size: 3 tree fits per column.
"""

import warnings

import numpy as np
from sklearn.metrics import balanced_accuracy_score, r2_score
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import TargetEncoder
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from .csvdata import NUMBER_KINDS

LEAK_SCORE = 0.98
PAIR_R2 = 0.999
MIN_ROWS = 10
MAX_PAIRS = 5
_FOLDS = 3


def find_leaks(columns, kinds, y, task):
    """Find columns that alone (or, for regression, two together) predict the target almost perfectly.

    Args:
        columns: Feature name -> column values for the sampled rows: floats (NaN when
            missing) for numeric and date columns, strings (NaN when missing) for categorical ones.
        kinds: Feature name -> ``"numeric"``, ``"date"`` (taken as a number) or ``"categorical"``.
        y: The target of the same rows, as `load_csv` would return it.
        task: ``"classification"`` or ``"regression"``.

    Returns:
        A list of ``{"columns": [names], "metric": "balanced_accuracy" | "r2", "score"}``,
        single columns first (highest score first), then at most 5 pairs; empty when
        there are fewer than 10 rows.
    """
    if len(y) < MIN_ROWS:
        return []
    metric = "balanced_accuracy" if task == "classification" else "r2"
    singles = []
    for name, values in columns.items():
        value = _single_score(values, kinds[name], y, task)
        if value >= LEAK_SCORE:
            singles.append({"columns": [name], "metric": metric, "score": round(value, 4)})
    singles.sort(key=lambda leak: -leak["score"])
    if task == "classification":
        return singles
    flagged = {leak["columns"][0] for leak in singles}
    numeric = {name: values for name, values in columns.items() if kinds[name] in NUMBER_KINDS and name not in flagged}
    return singles + _pairs(numeric, np.asarray(y, dtype=float))


def _single_score(values, kind, y, task):
    classify = task == "classification"
    if kind in NUMBER_KINDS:
        X = np.asarray(values, dtype=float).reshape(-1, 1)
        if np.isnan(X).all():
            return 0.0
    else:
        X = np.asarray(values, dtype=object).reshape(-1, 1)
    score = balanced_accuracy_score if classify else r2_score
    scores = []
    # A plain loop rather than cross_val_score: its overhead is most of the cost here.
    with warnings.catch_warnings():
        # A fold missing a tiny class makes balanced accuracy warn; the score is still honest.
        warnings.simplefilter("ignore")
        for train, test in _cv(y, classify).split(X, y):
            model = _model(kind, classify, y[train])
            scores.append(score(y[test], model.fit(X[train], y[train]).predict(X[test])))
    return float(np.mean(scores))


def _model(kind, classify, y_train):
    if classify:
        tree = DecisionTreeClassifier(max_depth=4, random_state=0)
    else:
        tree = DecisionTreeRegressor(max_depth=6, random_state=0)
    if kind in NUMBER_KINDS:
        return tree
    if not classify:
        # Said outright: left to guess, the encoder takes a target of whole numbers (prices
        # in whole pounds) for class labels and asks for stratified folds of each price.
        return make_pipeline(TargetEncoder(target_type="continuous", cv=5, random_state=0), tree)
    # The encoder cross-fits on stratified folds, which need one class with a row in each.
    n_folds = min(5, int(np.unique(y_train, return_counts=True)[1].max()))
    return make_pipeline(TargetEncoder(cv=max(n_folds, 2), random_state=0), tree)


def _cv(y, classify):
    if classify and min(np.unique(y, return_counts=True)[1]) >= _FOLDS:
        return StratifiedKFold(_FOLDS, shuffle=True, random_state=0)
    return KFold(_FOLDS, shuffle=True, random_state=0)


def _pairs(columns, y):
    """Pairs of numeric columns whose straight-line fit to y has R² >= PAIR_R2, best first."""
    if len(columns) < 2:
        return []
    names = list(columns)
    X = np.column_stack([np.asarray(columns[name], dtype=float) for name in names])
    X = X - np.nanmean(X, axis=0)
    X = np.nan_to_num(X)  # a missing value sits at its column's mean
    t = y - y.mean()
    gram, cross, total = X.T @ X, X.T @ t, t @ t
    i, j = np.triu_indices(len(names), k=1)
    a, b, c = gram[i, i], gram[j, j], gram[i, j]
    det = a * b - c * c
    with np.errstate(divide="ignore", invalid="ignore"):
        # R² of the least-squares fit on two centred columns: u' G^-1 u / t't.
        r2 = (b * cross[i] ** 2 - 2 * c * cross[i] * cross[j] + a * cross[j] ** 2) / (det * total)
    r2 = np.where((det > 1e-12 * a * b) & (total > 0), r2, 0.0)
    order = np.argsort(-r2)
    return [
        {"columns": [names[i[k]], names[j[k]]], "metric": "r2", "score": round(float(r2[k]), 4)}
        for k in order[:MAX_PAIRS] if r2[k] >= PAIR_R2
    ]
