"""The gp sampler's scale of the losses: plain or log, set by ``warp`` or chosen by the evidence."""

import math

import numpy as np
import pytest

from studies.engine import GPSampler, SamplerError, SearchSpace, TrialRecord, rng_for
from studies.engine.samplers import gp as gp_module
from studies.engine.samplers._encoding import Encoder
from studies.engine.samplers._targets import can_log, targets

EIGHT_FLOATS = {f"x{i}": {"type": "float", "low": 0.0, "high": 1.0} for i in range(8)}


def _points(n, d=8, seed=0):
    return np.random.default_rng(seed).random((n, d))


def _choice(X, losses, additive=True):
    encoder = Encoder(SearchSpace.from_json({f"x{i}": {"type": "float", "low": 0.0, "high": 1.0}
                                             for i in range(X.shape[1])}))
    model = gp_module._Model(additive=additive, warp="evidence")
    log, _, _ = gp_module._objective_fit(encoder, X, losses, np.random.default_rng(0), model)
    return log


def test_the_plain_scales_jacobian_is_the_standardisings():
    losses = np.array([0.4, 1.0, 2.0, 3.0, 5.0, 6.0])

    y, log_jacobian = targets(losses, log=False)

    np.testing.assert_allclose(y, (losses - losses.mean()) / losses.std())
    assert log_jacobian == pytest.approx(-len(losses) * math.log(losses.std()))


def test_the_log_scales_jacobian_adds_the_logs_derivative():
    losses = np.array([3.0, 4.0, 6.0, 9.0, 13.0, 20.0])
    shifted = losses - 3.0 + 0.01 * (np.median(losses) - 3.0)

    y, log_jacobian = targets(losses, log=True)

    np.testing.assert_allclose(y, (np.log(shifted) - np.log(shifted).mean()) / np.log(shifted).std())
    assert log_jacobian == pytest.approx(-np.log(shifted).sum() - len(losses) * math.log(np.log(shifted).std()))


def test_a_squashed_tail_enters_the_jacobian_with_its_slope():
    # One loss far above the rest: tame_tail maps it to cap + IQR log1p((x - cap) / IQR).
    losses = np.array([0.48, 0.5, 0.55, 0.7, 0.9, 1.0, 1.05, 9e4])
    q1, q3 = np.percentile(losses, [25, 75])
    cap = q3 + 5.0 * (q3 - q1)

    y, log_jacobian = targets(losses, log=False)
    tamed = np.append(losses[:-1], cap + (q3 - q1) * math.log1p((9e4 - cap) / (q3 - q1)))

    slope = np.ptp(y) / np.ptp(tamed)
    assert log_jacobian == pytest.approx(len(losses) * math.log(slope) - math.log1p((9e4 - cap) / (q3 - q1)))


def test_no_log_scale_when_half_the_losses_tie_for_the_best():
    assert not can_log(np.array([1.0, 1.0, 1.0, 2.0]))
    assert can_log(np.array([1.0, 1.5, 2.0, 3.0]))


def test_the_evidence_chooses_the_log_scale_for_losses_spanning_orders_of_magnitude():
    # A smooth function of the log loss, as near Rosenbrock's valley: the losses span 1e-3 to 1e5.
    X = _points(60)
    losses = np.exp(12 * (X - 0.3) @ np.linspace(0.5, 1.5, 8) / 4)

    assert _choice(X, losses)


def test_the_log_scale_must_win_by_the_margin(monkeypatch):
    X = _points(60)
    losses = np.exp(12 * (X - 0.3) @ np.linspace(0.5, 1.5, 8) / 4)
    monkeypatch.setattr(gp_module, "_LOG_MARGIN", 1e6)

    assert not _choice(X, losses)


def test_the_evidence_keeps_the_plain_scale_for_a_sum_of_wells():
    # Styblinski-Tang 8-D on [-5, 5]: a few wells per parameter that a log scale flattens.
    X = _points(60)
    x = 10 * X - 5
    losses = 0.5 * (x**4 - 16 * x**2 + 5 * x).sum(axis=1)

    assert not _choice(X, losses)


def test_the_evidence_keeps_the_plain_scale_when_the_log_scale_is_undefined():
    X = _points(20)
    losses = np.where(np.arange(20) < 12, 0.0, X[:, 0] + 1.0)

    assert not _choice(X, losses, additive=False)


def test_warp_must_be_one_of_the_three_scales():
    with pytest.raises(SamplerError, match="warp must be one of none, log, evidence"):
        GPSampler.from_options({"warp": "sqrt"})


def test_past_200_trials_the_checkpoint_keeps_its_scale(monkeypatch):
    monkeypatch.setattr(gp_module, "_FITS", gp_module._Memo(8))
    space = SearchSpace.from_json({"a": {"type": "float", "low": 0.0, "high": 1.0},
                                   "b": {"type": "float", "low": 0.0, "high": 1.0}})
    rng = np.random.default_rng(1)
    history = []
    for number in range(205):
        a, b = rng.random(2)
        history.append(TrialRecord(number=number, params={"a": a, "b": b}, state="complete",
                                   value=float(np.exp(10 * a + 4 * b))))

    fitted = gp_module._checkpoint_fit(Encoder(space), space, [(t, t.value) for t in history],
                                       gp_module._Model(warp="evidence"))

    assert fitted.log


def test_a_gp_with_the_evidences_scale_proposes_inside_the_space():
    space = SearchSpace.from_json(EIGHT_FLOATS)
    rng = np.random.default_rng(2)
    history = [TrialRecord(number=i, params={k: float(v) for k, v in zip(EIGHT_FLOATS, rng.random(8))},
                           state="complete", value=float(rng.random())) for i in range(12)]

    proposed = GPSampler(additive=True, warp="evidence").sample(space, history, rng_for(0, 12), ["minimize"])

    assert all(0.0 <= proposed[k] <= 1.0 for k in EIGHT_FLOATS)
