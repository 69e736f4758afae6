"""The random sampler draws uniformly in each parameter's own space (fixed seeds, wide tolerances)."""

from collections import Counter

from studies.engine import RandomSampler, SearchSpace

from .helpers import run_asks


def draws(spec, n):
    space = SearchSpace.from_json({"x": spec})
    return [p["x"] for p in run_asks(RandomSampler(), space, n, seed=11)]


def test_log_float_is_log_uniform():
    values = draws({"type": "float", "low": 1e-4, "high": 1.0, "log": True}, 4000)

    below_geometric_midpoint = sum(v < 1e-2 for v in values) / len(values)

    assert 0.45 < below_geometric_midpoint < 0.55


def test_plain_float_is_uniform():
    values = draws({"type": "float", "low": -1.0, "high": 3.0}, 4000)

    assert 0.45 < sum(v < 1.0 for v in values) / len(values) < 0.55


def test_int_is_uniform_and_includes_high():
    counts = Counter(draws({"type": "int", "low": 1, "high": 3}, 3000))

    assert set(counts) == {1, 2, 3}
    assert all(800 < c < 1200 for c in counts.values())


def test_stepped_float_is_uniform_on_its_grid():
    counts = Counter(draws({"type": "float", "low": 0.0, "high": 1.0, "step": 0.25}, 5000))

    assert set(counts) == {0.0, 0.25, 0.5, 0.75, 1.0}
    assert all(800 < c < 1200 for c in counts.values())


def test_categorical_is_uniform_over_choices():
    counts = Counter(draws({"type": "categorical", "choices": ["a", "b", "c"]}, 3000))

    assert all(800 < c < 1200 for c in counts.values())


def test_conditional_param_is_drawn_only_in_its_branch():
    space = SearchSpace.from_json({
        "kernel": {"type": "categorical", "choices": ["rbf", "poly"]},
        "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
    })

    asks = run_asks(RandomSampler(), space, 200)

    assert all(("degree" in p) == (p["kernel"] == "poly") for p in asks)


def test_random_sampler_says_it_ignores_the_history():
    from studies.engine import RandomSampler, make_sampler

    assert RandomSampler.reads_history is False
    assert make_sampler("tpe").reads_history is True
