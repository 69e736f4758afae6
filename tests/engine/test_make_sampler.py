"""Building samplers from their JSON specs."""

import pytest

from studies.engine import SAMPLERS, GridSampler, QMCSampler, RandomSampler, SamplerError, make_sampler


def test_a_name_builds_the_sampler_with_defaults():
    assert isinstance(make_sampler("random"), RandomSampler)
    assert make_sampler("grid").grid_points == 10


def test_an_object_passes_its_options():
    sampler = make_sampler({"name": "grid", "grid_points": 5})

    assert isinstance(sampler, GridSampler) and sampler.grid_points == 5


def test_a_seed_in_the_spec_is_ignored():
    assert isinstance(make_sampler({"name": "random", "seed": 123}), RandomSampler)
    assert make_sampler({"name": "qmc", "seed": 123}).scramble_seed == 0


def test_the_study_seed_does_not_reach_samplers_without_a_seed_option():
    assert make_sampler("grid", seed=5).grid_points == 10


def test_registry_lists_every_sampler_by_name():
    assert all(SAMPLERS[cls.name] is cls for cls in (RandomSampler, GridSampler, QMCSampler))
    assert all(name == cls.name for name, cls in SAMPLERS.items())


def test_auto_comes_first_as_the_default():
    assert next(iter(SAMPLERS)) == "auto"


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_every_sampler_describes_itself_in_one_line(name):
    describe = SAMPLERS[name].describe

    assert isinstance(describe, str) and describe and "\n" not in describe


def test_sampler_error_is_a_value_error():
    assert issubclass(SamplerError, ValueError)


# The registry grows as samplers are added; messages list every registered name in order.
NAMES = ", ".join(SAMPLERS)


@pytest.mark.parametrize(
    "spec, message",
    [
        ("bogus", f'unknown sampler "bogus"; use one of {NAMES}'),
        ({"name": "bogus"}, f'unknown sampler "bogus"; use one of {NAMES}'),
        ({"grid_points": 3}, f'a sampler spec needs a "name" ({NAMES})'),
        (7, 'a sampler must be a name or an object with a "name", not 7'),
        ({"name": "grid", "points": 3}, 'unknown option "points" for the grid sampler; it takes grid_points'),
        ({"name": "random", "grid_points": 3},
         'unknown option "grid_points" for the random sampler; it takes no options'),
        ({"name": "grid", "grid_points": 1}, "grid_points must be an integer of at least 2, not 1"),
        ({"name": "grid", "grid_points": True}, "grid_points must be an integer of at least 2, not true"),
        ({"name": "grid", "grid_points": "5"}, 'grid_points must be an integer of at least 2, not "5"'),
        ({"name": "qmc", "scramble_seed": -1}, "scramble_seed must be an integer of at least 0, not -1"),
    ],
    ids=["unknown-name", "unknown-name-in-object", "no-name", "not-a-spec", "unknown-option", "random-takes-none",
         "grid-points-1", "grid-points-bool", "grid-points-string", "negative-scramble-seed"],
)
def test_bad_spec_is_refused_with_a_message_naming_it(spec, message):
    with pytest.raises(SamplerError) as info:
        make_sampler(spec)

    assert str(info.value) == message


def test_integral_float_options_are_accepted():
    assert make_sampler({"name": "grid", "grid_points": 4.0}).grid_points == 4


def test_sampler_repr_shows_its_settings():
    assert repr(make_sampler({"name": "grid", "grid_points": 5})) == "GridSampler(grid_points=5)"
