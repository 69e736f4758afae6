"""A study's result in plain sentences, for people who have never heard of hyperparameters.

The first sentence says what the best model achieves, in the metric's own terms ("right
for about 77 of every 100 rows"), with the metric's name and value in brackets, and the
score of the simple guess beside it. The second says how sure we are: how much the score
moved between the rounds of cross-validation. A third appears only when the model is not
clearly better than the guess (by less than that spread), and says so.
"""

import math
from collections import Counter

from .metrics import metric_direction

_GUESSES = {
    "most_frequent": "always answering {majority}",
    "stratified": "guessing at random in the same proportions as the data",
    "prior": "giving every row the same chance of each answer as in the whole table",
    "mean": "always predicting the average",
    "median": "always predicting the middle value (the median)",
}
_MAX_LABEL = 40


def describe_result(metric, value, cv_std, baseline, target, majority=None, *, positive=None, n_folds=None,
                    noun="rows"):
    """Say in plain sentences what the best model achieves, how sure we are, and against what.

    Args:
        metric: One of the eight metric names.
        value: The best trial's mean CV score, in the metric's natural sign.
        cv_std: The standard deviation of that score over the folds (None if unknown).
        baseline: ``{"value", "strategy"}`` as `baseline.compute_baseline` returns.
        target: The target column's name.
        majority: The most common class label (classification).
        positive: The class F1 and ROC AUC score for a two-class target (the later label
            in sorted order, as `metrics.score` uses); None for more classes.
        n_folds: How many rounds of cross-validation gave the spread.
        noun: What a row is, plural ("rows", "customers").

    Returns:
        A list of two or three sentences.

    Example:
        >>> describe_result("accuracy", 0.773, 0.021, {"value": 0.62, "strategy": "most_frequent"},
        ...                 "churn", "no", n_folds=5)[0]
        "The best model is right for about 77 of every 100 rows (accuracy 0.773); always answering 'no' is right for 62."
    """
    context = {
        "target": _quote(target), "noun": noun, "positive": _quote(positive), "strategy": baseline["strategy"],
        "guess": describe_guess(baseline["strategy"], majority),
    }
    sentences = [_HEADLINES[metric](value, baseline["value"], context), _spread(metric, cv_std, n_folds)]
    verdict = _verdict(metric, value, cv_std, baseline["value"], context)
    return sentences + ([verdict] if verdict else [])


def describe_guess(strategy, majority=None):
    """Say in words what a baseline strategy guesses.

    Args:
        strategy: A Dummy strategy, as `baseline.compute_baseline` returns it.
        majority: The most common class label, for ``most_frequent``.

    Returns:
        A phrase such as "always answering 'no'" or "always predicting the average".

    Example:
        >>> describe_guess("most_frequent", "no")
        "always answering 'no'"
    """
    return _GUESSES[strategy].format(majority=_quote(majority) if majority is not None else "the most common class")


def class_roles(y):
    """Return the labels `describe_result` needs for a classification target.

    Args:
        y: The target as the trials see it.

    Returns:
        ``{"majority", "positive"}``: the most common label (the first in sorted order on
        a tie) and, for exactly two classes, the later label in sorted order, the one F1
        and ROC AUC score (scikit-learn's ``classes_[1]``); None for more classes. Labels
        are plain Python values.

    Example:
        >>> class_roles(["no", "yes", "no"])
        {'majority': 'no', 'positive': 'yes'}
    """
    counts = Counter(value.item() if hasattr(value, "item") else value for value in y)
    labels = sorted(counts)
    majority = max(labels, key=lambda label: counts[label])
    return {"majority": majority, "positive": labels[1] if len(labels) == 2 else None}


def format_number(x):
    """Format a number for people: thousands separators, about three significant digits.

    Example:
        >>> [format_number(v) for v in (1030.4, 412.0, 12.345, 0.012345, -2500)]
        ['1,030', '412', '12.3', '0.0123', '-2,500']
    """
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if x == 0:
        return "0"
    digits = max(0, 2 - math.floor(math.log10(abs(x))))
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:,.0f}"


def _quote(label):
    if label is None:
        return None
    text = str(label)
    return f"'{text[:_MAX_LABEL]}…'" if len(text) > _MAX_LABEL else f"'{text}'"


def _per100(score):
    return f"{round(100 * score)}"


def _accuracy(value, base, c):
    return (f"The best model is right for about {_per100(value)} of every 100 {c['noun']} (accuracy {value:.3f}); "
            f"{c['guess']} is right for {_per100(base)}.")


def _balanced_accuracy(value, base, c):
    why = ", since it gets one class all right and the others all wrong" if c["strategy"] == "most_frequent" else ""
    return (f"Taking each class of {c['target']} on its own and averaging, the best model is right for about "
            f"{_per100(value)} of every 100 {c['noun']} (balanced accuracy {value:.3f}); {c['guess']} scores "
            f"{_per100(base)}{why}.")


def _f1(value, base, c):
    if c["positive"]:
        what = (f"For {c['positive']}, the best model's F1 score is {value:.3f} (1 is perfect, 0 is none): it "
                f"balances how many of the real {c['positive']} {c['noun']} it finds against how many of its "
                f"{c['positive']} answers are right")
    else:
        what = (f"Averaged over the classes of {c['target']}, the best model's F1 score is {value:.3f} (1 is "
                "perfect, 0 is none): for each class it balances how many of that class's rows it finds "
                "against how many of its answers of that class are right")
    return f"{what}; {c['guess']} scores {base:.3f}."


def _roc_auc(value, base, c):
    if c["positive"]:
        what = (f"Given one {c['positive']} row and one that is not, picked at random, the best model gives the "
                f"{c['positive']} row the higher chance about {_per100(value)} times in 100 (ROC AUC {value:.3f})")
    else:
        what = (f"Given two rows of different classes of {c['target']}, the best model tells which is which "
                f"about {_per100(value)} times in 100, averaged over the classes (ROC AUC {value:.3f})")
    return f"{what}; {c['guess']} scores {_per100(base)}, no better than tossing a coin."


def _log_loss(value, base, c):
    # exp(-log loss) is the geometric mean of the probability given to the right answer.
    return (f"The best model gives the right answer a probability of about {math.exp(-value):.0%} on average "
            f"(log loss {value:.3f}: lower is better and 0 is perfect); {c['guess']} gives it about "
            f"{math.exp(-base):.0%} (log loss {base:.3f}).")


def _r2(value, base, c):
    if value < 0:
        what = (f"The best model predicts {c['target']} worse than always predicting its average would "
                f"(R² {value:.3f}, where 0 is the average's score and 1 is perfect)")
    else:
        what = (f"The best model explains about {value:.0%} of the ups and downs of {c['target']} "
                f"(R² {value:.3f}, where 1 is perfect)")
    if value < 0:
        return f"{what}."  # the sentence on the guess that follows compares the two
    return f"{what}; {c['guess']} explains {max(base, 0):.0%} of them."


def _rmse(value, base, c):
    return (f"Its predictions of {c['target']} are typically off by {format_number(value)} (RMSE, which counts "
            f"big misses more), against {format_number(base)} when {c['guess']}.")


def _mae(value, base, c):
    return (f"Its predictions of {c['target']} are off by {format_number(value)} on average (MAE), against "
            f"{format_number(base)} when {c['guess']}.")


_HEADLINES = {
    "accuracy": _accuracy, "balanced_accuracy": _balanced_accuracy, "f1": _f1, "roc_auc": _roc_auc,
    "log_loss": _log_loss, "r2": _r2, "rmse": _rmse, "mae": _mae,
}


def _spread(metric, cv_std, n_folds):
    tests = f"{n_folds} tests" if n_folds else "several tests"
    if cv_std is None:
        return f"That is the average of {tests} on rows the model had not seen."
    if cv_std == 0:
        return f"That is the average of {tests} on rows the model had not seen, which all gave the same result."
    return (f"That is the average of {tests} on rows the model had not seen, give or take "
            f"{_amount(metric, cv_std)} from one test to the next.")


def _amount(metric, x):
    if metric in ("rmse", "mae"):
        return format_number(x)
    if metric in _PER_100:
        points = round(100 * x)
        return f"{points} in 100" if points else "less than 1 in 100"
    return f"{x:.2f}" if x >= 0.005 else f"{x:.3f}"


_PER_100 = frozenset({"accuracy", "balanced_accuracy", "roc_auc"})


def _verdict(metric, value, cv_std, base, c):
    gain = value - base if metric_direction(metric) == "maximize" else base - value
    if gain > (cv_std or 0):
        return None
    if gain < 0:
        return (f"That is worse than {c['guess']}, so the columns may not hold what predicts {c['target']}, "
                "or the model needs more trials.")
    return (f"That is not clearly better than {c['guess']}, so the columns may not hold much that predicts "
            f"{c['target']}.")
