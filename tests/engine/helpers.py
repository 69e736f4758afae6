"""Shared search spaces and a plain ask loop for the engine tests (no Django)."""

from studies.engine import GridExhausted, TrialRecord, rng_for

# The example of docs/engine-contract.md: each kind of parameter once, and one condition.
CONTRACT_EXAMPLE = {
    "lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True},
    "depth": {"type": "int", "low": 2, "high": 12},
    "trees": {"type": "int", "low": 50, "high": 500, "step": 50},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
}

# Every kind of parameter, with conditions two levels deep and a child declared before its parent.
MIXED_SPACE = {
    "tol_scale": {"type": "float", "low": -1.0, "high": 1.0, "step": 0.25, "condition": {"shrinking": [True]}},
    "lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True},
    "dropout": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
    "momentum": {"type": "float", "low": 0.8, "high": 0.99},
    "depth": {"type": "int", "low": 2, "high": 12},
    "trees": {"type": "int", "low": 50, "high": 500, "step": 50},
    "width": {"type": "int", "low": 1, "high": 1024, "log": True},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "degree": {"type": "int", "low": 2, "high": 5, "condition": {"kernel": ["poly"]}},
    "gamma": {"type": "float", "low": 1e-3, "high": 1.0, "log": True, "condition": {"kernel": ["rbf", "poly"]}},
    "shrinking": {"type": "categorical", "choices": [True, False], "condition": {"kernel": ["rbf"]}},
    "mixed": {"type": "categorical", "choices": [1, 2.5, "three"]},
}

# 585 points at grid_points=3: x 3 * n 3 * kernel (rbf 3 + linear 1 + poly 3*3) * flag (true (1 + 3) + false 1).
SMALL_GRID_SPACE = {
    "x": {"type": "float", "low": 0.0, "high": 1.0},
    "n": {"type": "int", "low": 1, "high": 3},
    "kernel": {"type": "categorical", "choices": ["rbf", "linear", "poly"]},
    "gamma": {"type": "float", "low": 0.01, "high": 1.0, "log": True, "condition": {"kernel": ["rbf"]}},
    "degree": {"type": "int", "low": 2, "high": 4, "condition": {"kernel": ["poly"]}},
    "coef": {"type": "float", "low": -1.0, "high": 1.0, "step": 1.0, "condition": {"kernel": ["poly"]}},
    "flag": {"type": "categorical", "choices": [True, False]},
    "level": {"type": "categorical", "choices": ["low", "high"], "condition": {"flag": [True]}},
    "boost": {"type": "int", "low": 0, "high": 10, "step": 5, "condition": {"level": ["high"]}},
}
SMALL_GRID_SIZE = 585


def run_asks(sampler, space, n_asks, seed=0, state="complete"):
    """Ask ``n_asks`` times (or until the grid is exhausted) as the service does; return the params."""
    trials = []
    for number in range(n_asks):
        try:
            params = sampler.sample(space, trials, rng_for(seed, number), ("minimize",))
        except GridExhausted:
            break
        value = 0.0 if state == "complete" else None
        trials.append(TrialRecord(number=number, params=params, state=state, value=value))
    return [t.params for t in trials]
