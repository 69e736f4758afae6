"""Is the winner real? The statistics of re-checking a study's top trials.

A trial's value is one noisy measurement: the folds of a cross-validation (or the machine a
user's code ran on) move it. The study's best is the highest of many noisy values, so it is
often lucky (the winner's curse). A re-check measures each top trial again, `repeats` times,
with fresh noise (new CV shuffles), and compares the trials on those fresh values.

The method, kept simple so that it can be said in one sentence:

- A trial's estimate is the mean of its fresh values, with a 95% Student-t interval
  (``mean ± t(0.975, n-1) · s / √n``). The original value is left out: it was picked because
  it was high, so it is biased upward. With a single fresh value there is no spread to measure,
  so the original joins it (n = 2) and the interval, though wider, still exists.
- The probability that one trial is ahead of another is the Student-t approximation to the
  difference of the two means, with the spread pooled over every re-checked trial
  (``T_df(d / (s_p √(1/n₁ + 1/n₂)))``, ``df = Σ(nᵢ - 1)``): the trials of one study are measured
  the same way, and a few repeats measure one trial's spread too poorly to compare on alone.
- The robust best is the trial with the best mean. Two trials "cannot be told apart" when
  that probability is under 0.95.

`bench/recheck.py` measures how often the intervals hold the true value and how often the
robust best is truly better than the plain best.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
# Below this probability of being ahead, two trials cannot be told apart.
TOLD_APART = 0.95
_SIGN = {"maximize": 1.0, "minimize": -1.0}


@dataclass(frozen=True)
class RecheckEstimate:
    """One re-checked trial: the mean of its fresh values and a 95% interval around it.

    Attributes:
        number: The trial's number.
        mean: The mean of the values used.
        low, high: The 95% Student-t interval of the mean (equal to ``mean`` when every value
            is the same).
        n: How many values the mean is of.
        std: Their sample standard deviation (``ddof=1``).
    """

    number: int
    mean: float
    low: float
    high: float
    n: int
    std: float

    def to_json(self):
        """The estimate as the API shows it: number, mean, low, high and n."""
        return {"number": self.number, "mean": self.mean, "low": self.low, "high": self.high, "n": self.n}


def estimate(number, original, fresh):
    """The estimate of one trial from its fresh values (and its original, when only one is fresh).

    Args:
        number: The trial's number.
        original: The value the study found for it (ignored when there are two fresh values or more).
        fresh: The values measured again, at least one.

    Returns:
        A `RecheckEstimate`.

    Raises:
        ValueError: No fresh value, or a value that is not a finite number.

    Example:
        >>> e = estimate(3, 0.99, [0.90, 0.92, 0.94])
        >>> round(e.mean, 2), e.n, round(e.high - e.mean, 3)
        (0.92, 3, 0.05)
    """
    values = [float(v) for v in fresh]
    if not values:
        raise ValueError("a re-check needs at least one fresh value")
    if len(values) == 1:
        values.append(float(original))
    values = np.asarray(values)
    if not np.all(np.isfinite(values)):
        raise ValueError("every value must be a finite number")
    mean, std = float(values.mean()), float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1)) * std / math.sqrt(values.size)
    return RecheckEstimate(number, mean, mean - half, mean + half, int(values.size), std)


def probability_ahead(a, b, direction, pooled=None):
    """The probability that trial `a` is truly better than trial `b`.

    A Student-t approximation to the difference of the two means. With `pooled`, the spread is
    the one shared by every re-checked trial (`pooled_spread`): a few repeats measure one trial's
    spread poorly, and a lucky small spread would otherwise claim a difference the data do not
    show. Without it, Welch's standard error and degrees of freedom.

    Args:
        a, b: `RecheckEstimate`s.
        direction: ``"maximize"`` or ``"minimize"``.
        pooled: ``(variance, degrees of freedom)`` from `pooled_spread`, or None.

    Returns:
        A probability in [0, 1]; 0.5 when the means are equal and nothing varies.

    Raises:
        KeyError: Another direction.

    Example:
        >>> a = RecheckEstimate(1, 0.92, 0.90, 0.94, 3, 0.01)
        >>> b = RecheckEstimate(2, 0.91, 0.89, 0.93, 3, 0.01)
        >>> round(probability_ahead(a, b, "maximize"), 2)
        0.86
    """
    gain = _SIGN[direction] * (a.mean - b.mean)
    if pooled is not None:
        variance, df = pooled
        se = math.sqrt(variance * (1 / a.n + 1 / b.n))
    else:
        va, vb = a.std ** 2 / a.n, b.std ** 2 / b.n
        se = math.sqrt(va + vb)
        # Welch-Satterthwaite: with three repeats each a normal curve would claim far more
        # certainty than six values give.
        df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1)) if se else 1
    if se == 0:
        return 0.5 if gain == 0 else float(gain > 0)
    return float(stats.t.cdf(gain / se, df))


def pooled_spread(estimates):
    """The variance of one value shared by the re-checked trials, and its degrees of freedom.

    Trials of one study are measured the same way (same data, same folds count), so their noise
    is alike, and pooling it gives the comparison many more degrees of freedom than one trial's
    few repeats.

    Args:
        estimates: `RecheckEstimate`s, at least one.

    Returns:
        ``(variance, degrees of freedom)``: ``Σ(nᵢ-1)sᵢ² / Σ(nᵢ-1)`` and ``Σ(nᵢ-1)``.

    Example:
        >>> pooled_spread([RecheckEstimate(1, 0, 0, 0, 3, 1.0), RecheckEstimate(2, 0, 0, 0, 3, 3.0)])
        (5.0, 4)
    """
    df = sum(e.n - 1 for e in estimates)
    return sum((e.n - 1) * e.std ** 2 for e in estimates) / df, df


def ranked(estimates, direction):
    """The estimates, best mean first (ties: the lower number first)."""
    sign = _SIGN[direction]
    return sorted(estimates, key=lambda e: (-sign * e.mean, e.number))


def verdict(estimates, direction):
    """The robust best and a plain sentence comparing it with the runner-up.

    Args:
        estimates: The re-checked trials' `RecheckEstimate`s, at least one.
        direction: ``"maximize"`` or ``"minimize"``.

    Returns:
        ``(robust_best, sentence)``: the number of the trial with the best mean, and e.g.
        "#18 and #23 cannot be told apart; #18 is ahead with probability 0.71."

    Raises:
        ValueError: No estimate.

    Example:
        >>> a = RecheckEstimate(18, 0.92, 0.90, 0.94, 3, 0.01)
        >>> b = RecheckEstimate(23, 0.91, 0.89, 0.93, 3, 0.01)
        >>> verdict([b, a], "maximize")
        (18, '#18 and #23 cannot be told apart; #18 is ahead with probability 0.86.')
    """
    if not estimates:
        raise ValueError("nothing was re-checked")
    order = ranked(estimates, direction)
    best = order[0]
    if len(order) == 1:
        return best.number, f"Only #{best.number} was re-checked: its mean is {_number(best.mean)}."
    second = order[1]
    p = probability_ahead(best, second, direction, pooled_spread(estimates))
    if p >= TOLD_APART:
        return best.number, (f"#{best.number} is better than #{second.number}, the next best, "
                             f"with probability {_probability(p)}.")
    return best.number, (f"#{best.number} and #{second.number} cannot be told apart; "
                         f"#{best.number} is ahead with probability {_probability(p)}.")


def _probability(p):
    # "1.00" would claim certainty that a normal approximation cannot give.
    return "over 0.99" if p > 0.995 else f"{p:.2f}"


def _number(x):
    return f"{x:.4g}"


__all__ = ["CONFIDENCE", "RecheckEstimate", "estimate", "pooled_spread", "probability_ahead", "ranked", "verdict"]
