"""The advice's body marks which horizons its sentence and the page's chart use: not those whose
simulated futures pile at the score's limit."""

import numpy as np

from studies.engine import AT_LIMIT_LEVEL, advise, fit_surrogate
from studies.services.surrogates import _advice_body
from tests.engine.test_surrogate import SPACE, history, r2_at_its_ceiling


def test_a_horizon_past_the_limit_is_not_quoted_and_neither_is_any_later_one():
    surrogate = fit_surrogate(SPACE, history(n=20, fn=r2_at_its_ceiling), ["maximize"], np.random.default_rng(0),
                              bounds=(None, 1.0))
    advice = advise(surrogate, np.random.default_rng(0))

    body = _advice_body(surrogate, advice)

    assert [h["quoted"] for h in body["horizons"]] == [share < AT_LIMIT_LEVEL for share in advice.at_limit]
    assert body["horizons"][-1]["quoted"] is False
    assert "cannot yet tell" in body["sentence"]


def test_without_a_limit_every_horizon_is_quoted():
    surrogate = fit_surrogate(SPACE, history(n=30), ["minimize"], np.random.default_rng(0))

    body = _advice_body(surrogate, advise(surrogate, np.random.default_rng(0)))

    assert [h["quoted"] for h in body["horizons"]] == [True, True, True]
