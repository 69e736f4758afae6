"""What one evaluation found beyond its value: the fold scores, their spread and the time."""

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class TrialDetails:
    """The outcome of one evaluation, for the leaderboard and for comparing models.

    Attributes:
        value: The objective value, what `evaluate` returns: for sklearn objectives the
            mean of ``fold_scores``, in the metric's natural sign.
        cv_mean: The mean of ``fold_scores`` (equal to ``value``); None for functions.
        cv_std: The sample standard deviation (``ddof=1``) of ``fold_scores``: how much
            the score moves from one fold to the next; None for functions.
        fold_scores: The score on each CV fold, in fold order (the folds are the same for
            every trial of a dataset); empty for functions.
        fit_time_s: Mean wall-clock seconds to train and score the model on one fold
            (the whole cross-validation's time divided by the folds); for functions, the
            time of the one evaluation.
        metrics: What the objective's limits measured (``{"fit_time_s": 0.4, "recall": 0.8}``,
            see `constraints`); empty when it has none.
        constraints: The trial's constraint values (feasible when all are <= 0): one per
            limit of an sklearn objective, or a constrained benchmark's; None when there are none.
    """

    value: float
    cv_mean: float | None
    cv_std: float | None
    fold_scores: tuple
    fit_time_s: float
    metrics: dict = field(default_factory=dict)
    constraints: tuple | None = None

    @classmethod
    def from_scores(cls, scores, fit_time_s):
        """Build the details of a cross-validation from its fold scores.

        Args:
            scores: One score per fold, at least two.
            fit_time_s: Mean seconds per fold.

        Returns:
            A `TrialDetails` whose value is the mean score.
        """
        scores = tuple(float(s) for s in scores)
        mean = float(np.mean(scores))
        return cls(mean, mean, float(np.std(scores, ddof=1)), scores, float(fit_time_s))

    def to_json(self):
        """Return the details as a JSON-ready dict, to store as the trial's details.

        Returns:
            ``{"cv_mean", "cv_std", "fit_time_s", "fold_scores"}``; functions have only
            ``fit_time_s``. Values that are not finite (a fold that scored NaN) are None.
        """
        if self.cv_mean is None:
            return {"fit_time_s": _finite(self.fit_time_s)}
        return {
            "cv_mean": _finite(self.cv_mean),
            "cv_std": _finite(self.cv_std),
            "fit_time_s": _finite(self.fit_time_s),
            "fold_scores": [_finite(s) for s in self.fold_scores],
        }


    def tell_fields(self):
        """The keyword arguments a worker tells with: ``details`` (`to_json`), and ``metrics`` and
        ``constraints`` when the objective measured any (None otherwise)."""
        return {"details": self.to_json(), "metrics": dict(self.metrics) or None,
                "constraints": list(self.constraints) if self.constraints is not None else None}


def _finite(x):
    # JSON has no NaN or infinity; the database column and the API would refuse them.
    return x if math.isfinite(x) else None
