"""The values an objective can take: an error is never below 0, an accuracy never above 1.

Models that know nothing of this (the surrogate's Gaussian process) are held inside it, so
What if never predicts a negative error and the advice never an accuracy above 100%.
"""

from .errors import ObjectiveError
from .functions import BENCHMARKS, function_optimum

# metric -> (lowest, highest) it can score; None where it is open.
METRIC_RANGES = {
    "accuracy": (0.0, 1.0), "balanced_accuracy": (0.0, 1.0), "f1": (0.0, 1.0), "roc_auc": (0.0, 1.0),
    "log_loss": (0.0, None), "rmse": (0.0, None), "mae": (0.0, None), "r2": (None, 1.0),
}


def value_range(spec, n_params):
    """The values a study's objective can take, as ``(low, high)`` with None for an open side.

    Args:
        spec: The study's stored objective spec.
        n_params: How many parameters the study's search space has (a benchmark function's dimension).

    Returns:
        A metric's range for a scikit-learn objective, ``(known minimum, None)`` for a benchmark
        function, ``(None, None)`` when not known (your own code, a constrained function).

    Example:
        >>> value_range({"kind": "sklearn", "metric": "rmse"}, 3)
        (0.0, None)
    """
    if spec.get("kind") == "sklearn":
        return METRIC_RANGES.get(spec.get("metric"), (None, None))
    if spec.get("kind") == "function":
        if BENCHMARKS[spec["name"]].constraints is not None:
            return (None, None)  # its known minimum is the best feasible value; infeasible trials go below it
        try:
            return (function_optimum(spec["name"], n_params), None)
        except ObjectiveError:  # a space of another size than the function's: its minimum is not known
            return (None, None)
    return (None, None)
