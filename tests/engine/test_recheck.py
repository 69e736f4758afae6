"""The statistics of a re-check: intervals, the chance one trial is ahead, the verdict."""

import math

import numpy as np
import pytest
from scipy import stats

from studies.engine import RecheckEstimate, estimate, pooled_spread, probability_ahead, ranked, verdict


def test_the_interval_is_the_student_t_interval_of_the_fresh_values():
    fresh = [0.90, 0.92, 0.97, 0.93]

    found = estimate(4, 0.99, fresh)

    low, high = stats.t.interval(0.95, 3, loc=np.mean(fresh), scale=stats.sem(fresh))
    assert found.n == 4 and found.mean == pytest.approx(np.mean(fresh))
    assert (found.low, found.high) == (pytest.approx(low), pytest.approx(high))


def test_the_original_value_is_left_out_when_two_fresh_values_or_more_exist():
    assert estimate(1, 100.0, [1.0, 3.0]).mean == pytest.approx(2.0)


def test_a_single_fresh_value_is_joined_by_the_original_so_an_interval_exists():
    found = estimate(1, 0.8, [0.9])

    assert found.n == 2 and found.mean == pytest.approx(0.85) and found.low < 0.8 < 0.9 < found.high


def test_equal_values_give_an_interval_of_no_width():
    found = estimate(1, 0.5, [0.5, 0.5, 0.5])

    assert found.low == found.mean == found.high == 0.5


@pytest.mark.parametrize("fresh", [[], [0.5, math.nan]])
def test_no_fresh_value_or_a_nan_is_refused(fresh):
    with pytest.raises(ValueError):
        estimate(1, 0.5, fresh)


def test_alone_the_chance_of_being_ahead_is_welchs_t_test():
    fresh_a, fresh_b = [1.0, 2.0, 3.5], [0.0, 1.0, 2.0, 3.0]
    a, b = estimate(1, 0, fresh_a), estimate(2, 0, fresh_b)

    # The one-sided p-value of "a is below b" is the t probability that a is ahead.
    expected = stats.ttest_ind(fresh_a, fresh_b, equal_var=False, alternative="less").pvalue
    assert probability_ahead(a, b, "maximize") == pytest.approx(expected)
    assert probability_ahead(a, b, "minimize") == pytest.approx(1 - expected)


def test_with_the_spread_pooled_the_chance_is_students_t_test_with_equal_variances():
    fresh_a, fresh_b = [1.0, 2.0, 3.5], [0.0, 1.0, 2.0, 3.0]
    a, b = estimate(1, 0, fresh_a), estimate(2, 0, fresh_b)

    expected = stats.ttest_ind(fresh_a, fresh_b, equal_var=True, alternative="less").pvalue
    assert probability_ahead(a, b, "maximize", pooled_spread([a, b])) == pytest.approx(expected)


def test_the_pooled_spread_weighs_each_trial_by_its_degrees_of_freedom():
    a, b = estimate(1, 0, [1.0, 2.0, 3.0]), estimate(2, 0, [0.0, 4.0])

    variance, df = pooled_spread([a, b])

    assert df == 3 and variance == pytest.approx((2 * 1.0 + 1 * 8.0) / 3)


def test_two_trials_without_spread_are_ahead_for_sure_or_tied():
    a, b = RecheckEstimate(1, 2.0, 2.0, 2.0, 3, 0.0), RecheckEstimate(2, 1.0, 1.0, 1.0, 3, 0.0)

    assert probability_ahead(a, b, "maximize") == 1.0 and probability_ahead(a, a, "maximize") == 0.5


def test_ranking_puts_the_best_mean_first_in_either_direction():
    a, b = estimate(7, 0, [1.0, 1.1]), estimate(3, 0, [2.0, 2.1])

    assert [e.number for e in ranked([a, b], "maximize")] == [3, 7]
    assert [e.number for e in ranked([a, b], "minimize")] == [7, 3]


def test_close_trials_cannot_be_told_apart():
    a, b = estimate(18, 0, [0.91, 0.93, 0.92]), estimate(23, 0, [0.90, 0.93, 0.92])

    best, sentence = verdict([b, a], "maximize")

    assert best == 18
    assert sentence.startswith("#18 and #23 cannot be told apart; #18 is ahead with probability 0.")


def test_a_clear_winner_is_named_better_than_the_next_best():
    a, b = estimate(2, 0, [0.95, 0.96, 0.95]), estimate(5, 0, [0.80, 0.81, 0.80])

    assert verdict([a, b], "maximize") == (2, "#2 is better than #5, the next best, with probability over 0.99.")


def test_a_single_trial_is_its_own_robust_best():
    assert verdict([estimate(4, 0, [1.0, 1.5])], "minimize") == (4, "Only #4 was re-checked: its mean is 1.25.")
