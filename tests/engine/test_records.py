"""History records and the per-ask RNG."""

import numpy as np
import pytest

from studies.engine import TRIAL_STATES, TrialRecord, rng_for


def test_record_defaults_to_no_value_and_no_reports():
    trial = TrialRecord(0, {"x": 1}, "waiting")

    assert (trial.value, trial.values, trial.intermediate) == (None, None, {})


def test_record_accepts_every_documented_state():
    assert [TrialRecord(0, {}, state).state for state in TRIAL_STATES] == [
        "waiting", "running", "complete", "pruned", "failed",
    ]


def test_record_refuses_an_unknown_state():
    with pytest.raises(ValueError, match="unknown trial state 'COMPLETE'"):
        TrialRecord(0, {}, "COMPLETE")


def test_record_stores_values_as_a_tuple():
    assert TrialRecord(0, {}, "complete", values=[1.0, 2.0]).values == (1.0, 2.0)


def test_rng_for_is_default_rng_of_seed_and_number():
    assert rng_for(3, 7).random() == np.random.default_rng([3, 7]).random()


def test_rng_for_differs_per_trial_number():
    assert rng_for(3, 7).random() != rng_for(3, 8).random()


@pytest.mark.parametrize("seed, number", [(-1, 0), (0, -1), (True, 0), (1.5, 0)])
def test_rng_for_refuses_anything_but_non_negative_ints(seed, number):
    with pytest.raises(ValueError, match="must be a non-negative integer"):
        rng_for(seed, number)
