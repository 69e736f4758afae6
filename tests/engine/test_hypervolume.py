"""Hypervolume of a set of trade-offs, and its history over a study, against known values."""

import itertools

import numpy as np
import pytest

from studies.engine import hypervolume, hypervolume_history

MIN2 = ["minimize", "minimize"]


def _inclusion_exclusion(points, ref):
    """The volume of a union of boxes [point, ref], the slow textbook way (for small sets)."""
    total = 0.0
    for size in range(1, len(points) + 1):
        for subset in itertools.combinations(points, size):
            corner = np.max(subset, axis=0)
            total += (-1) ** (size + 1) * float(np.prod(np.clip(ref - corner, 0, None)))
    return total


def test_two_objective_staircase_volume():
    points = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]])

    assert hypervolume(points, [4.0, 4.0]) == pytest.approx(6.0)


def test_dominated_and_repeated_points_add_nothing():
    front = np.array([[1.0, 3.0], [3.0, 1.0]])
    crowded = np.vstack([front, front, [[3.5, 3.5], [2.0, 3.0]]])

    assert hypervolume(crowded, [4.0, 4.0]) == pytest.approx(hypervolume(front, [4.0, 4.0])) == pytest.approx(5.0)


def test_point_beyond_the_reference_adds_nothing():
    assert hypervolume(np.array([[5.0, 0.0]]), [4.0, 4.0]) == 0.0


def test_no_points_have_no_volume():
    assert hypervolume(np.zeros((0, 3)), [1.0, 1.0, 1.0]) == 0.0


def test_three_objective_single_box():
    assert hypervolume(np.array([[0.0, 0.5, 0.75]]), [1.0, 1.0, 1.0]) == pytest.approx(0.125)


def test_three_objective_known_front():
    # Each box alone is 2 x 1 x 1; any two, and all three, overlap in the unit cube [1, 2]^3.
    points = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])

    assert hypervolume(points, [2.0, 2.0, 2.0]) == pytest.approx(3 * 2 - 3 * 1 + 1)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_objectives", [2, 3, 4])
def test_exact_volume_matches_inclusion_exclusion(seed, n_objectives):
    rng = np.random.default_rng(seed)
    points = rng.uniform(0, 1, size=(7, n_objectives))
    ref = np.full(n_objectives, 1.1)

    assert hypervolume(points, ref) == pytest.approx(_inclusion_exclusion(points, ref))


def test_shape_mismatch_is_named():
    with pytest.raises(ValueError, match="reference has 3"):
        hypervolume(np.zeros((2, 2)), [1.0, 1.0, 1.0])


def test_history_reference_is_worst_plus_a_tenth_of_the_range():
    found = hypervolume_history([[1.0, 3.0], [3.0, 1.0]], MIN2)

    assert found.reference == pytest.approx((3.2, 3.2))


def test_history_hand_computed_volumes():
    # reference (3.2, 3.2): first box 2.2 x 0.2; then the staircase 2 x 0.2 + 0.2 x 2.2.
    found = hypervolume_history([[1.0, 3.0], [3.0, 1.0]], MIN2)

    assert found.volumes == pytest.approx((0.44, 0.84))
    assert found.exact


def test_history_maximised_objective_reference_lies_below():
    found = hypervolume_history([[1.0, 3.0], [3.0, 1.0]], ["minimize", "maximize"])

    assert found.reference == pytest.approx((3.2, 0.8))


def test_history_stays_flat_for_a_dominated_trial_and_never_falls():
    values = np.random.default_rng(1).uniform(0, 1, size=(60, 2)).tolist()

    volumes = np.array(hypervolume_history(values, MIN2).volumes)

    assert np.all(np.diff(volumes) >= 0)
    assert len(volumes) == 60


def test_history_last_volume_is_the_volume_of_everything():
    values = np.random.default_rng(2).uniform(0, 1, size=(9, 3))

    found = hypervolume_history(values.tolist(), ["minimize"] * 3)

    assert found.volumes[-1] == pytest.approx(hypervolume(values, found.reference))


def test_equal_values_get_a_reference_one_beyond():
    found = hypervolume_history([[2.0, 2.0], [2.0, 2.0]], MIN2)

    assert found.reference == (3.0, 3.0)
    assert found.volumes == (1.0, 1.0)


def test_large_three_objective_front_is_estimated_close_to_exact():
    # A front of points on a sphere: all non-dominated, more than the exact cap.
    rng = np.random.default_rng(3)
    points = np.abs(rng.normal(size=(40, 3)))
    points /= np.linalg.norm(points, axis=1, keepdims=True)

    found = hypervolume_history(points.tolist(), ["minimize"] * 3)

    assert not found.exact
    assert found.volumes[-1] == pytest.approx(hypervolume(points, found.reference), rel=0.03)
    assert np.all(np.diff(found.volumes) >= 0)


def test_estimate_is_the_same_every_time():
    points = np.random.default_rng(4).uniform(size=(30, 3))
    points /= points.sum(axis=1, keepdims=True)

    first = hypervolume_history(points.tolist(), ["minimize"] * 3)

    assert first == hypervolume_history(points.tolist(), ["minimize"] * 3)


def test_small_three_objective_front_is_exact():
    found = hypervolume_history([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]], ["minimize"] * 3)

    assert found.exact


def test_history_of_nothing_is_empty():
    assert hypervolume_history([], MIN2).volumes == ()


def test_history_row_of_the_wrong_length_is_named():
    with pytest.raises(ValueError, match="2 values"):
        hypervolume_history([[1.0, 2.0, 3.0]], MIN2)


def test_a_large_front_on_the_way_makes_it_an_estimate_even_if_one_trial_ends_it():
    # Twenty trade-offs, then one trial better than all of them: the final front is one point,
    # but exact volumes along the way would need the large front.
    rng = np.random.default_rng(5)
    front = np.abs(rng.normal(size=(20, 3))) + 1.0
    front /= np.linalg.norm(front, axis=1, keepdims=True)
    values = [*front.tolist(), [0.0, 0.0, 0.0]]

    found = hypervolume_history(values, ["minimize"] * 3)

    assert not found.exact
    assert found.volumes[-1] == pytest.approx(float(np.prod(found.reference)), rel=1e-9)
