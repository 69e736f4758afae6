"""Budget advice through the API: every role reads what 10, 50 and 200 more trials may bring."""

import numpy as np
import pytest

from studies.services import summary, surrogates
from tests.roles import add_trials, api_client, make_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _url(study):
    return f"/api/studies/{study.pk}/advice/"


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("viewer", 200), ("stranger", 404)])
def test_every_role_may_read_the_advice(role, status, study, people):
    assert api_client(people[role]).get(_url(study)).status_code == status


def test_the_advice_has_three_horizons_with_intervals_and_chances(people):
    study = make_study(people["owner"])
    add_trials(study, [("complete", 1 + (i - 5) ** 2 / 10, {"x": i / 10, "y": i % 3 / 2}) for i in range(10)])

    body = api_client(people["owner"]).get(_url(study)).json()

    assert [h["more_trials"] for h in body["horizons"]] == [10, 50, 200]
    assert all(h["low"] <= h["expected_best"] <= h["high"] <= body["best"] for h in body["horizons"])
    assert {(p["more_trials"], p["min_gain"]) for p in body["improvement"]} == {
        (n, gain) for n in (10, 50, 200) for gain in (0.01, 0.05)}
    assert all(0 <= p["probability"] <= 1 for p in body["improvement"])
    assert body["sentence"].startswith("10 more trials will likely") and "chance of gaining 1% or more" in body["sentence"]


def test_reading_twice_gives_the_same_advice_without_simulating_again(study, people, monkeypatch):
    client = api_client(people["viewer"])
    first = client.get(_url(study)).json()
    monkeypatch.setattr(surrogates.engine, "advise", lambda *args: pytest.fail("simulated again"))

    assert client.get(_url(study)).json() == first


def test_too_few_trials_answer_409(people):
    study = make_study(people["owner"])

    response = api_client(people["owner"]).get(_url(study))

    assert response.status_code == 409 and "has 0" in response.json()["detail"]


def test_the_sentence_leaves_out_the_chance_of_a_gain_on_a_best_of_zero(study, people):
    body = api_client(people["viewer"]).get(_url(study)).json()  # trial #5 scored exactly 0

    assert body["best"] == 0.0 and "chance of gaining" not in body["sentence"]
    assert all(p["probability"] is None for p in body["improvement"])


def test_a_settled_study_advice_speaks_of_the_same_stretch_the_summary_calls_finished(people):
    study = make_study(people["owner"])
    add_trials(study, [("complete", 1.0 + (0.0 if i == 4 else 0.2 + (i % 7) / 10), {"x": i / 30, "y": i % 3 / 2})
                       for i in range(30)])  # the best at trial #4, then 25 trials without better
    settled = next(s for s in summary.study_summary(study) if s.key == "settled")

    body = api_client(people["owner"]).get(_url(study)).json()

    assert "looks finished" in settled.text and settled.figure == "25"
    assert body["sentence"].startswith("The best has not improved in the last 25 trials")


def test_the_advice_is_checked_against_the_studys_own_latest_trials_and_says_when_it_was_too_hopeful(people):
    # An error already at the data's own floor (0.5) on half the space, up to a jitter of its own,
    # and worse elsewhere: 50 trials, whose last 30 bring next to nothing.
    study = make_study(people["owner"])
    rng = np.random.default_rng(4)
    points = rng.random((50, 2))
    add_trials(study, [("complete", float(0.5 + 1e-4 * np.sin(1e4 * y) if x < 0.5 else 0.55 + 0.4 * x * y),
                        {"x": float(x), "y": float(y)}) for x, y in points])

    body = api_client(people["owner"]).get(_url(study)).json()

    calibration = body["calibration"]
    assert calibration["trials"] == 30 and calibration["chance"] < 0.05 and calibration["shrink"] < 1
    assert calibration["real_gain"] < calibration["expected_gain"]
    assert "Checked against this study's last 30 trials, the model was too hopeful" in body["sentence"]


def test_the_advice_of_a_study_too_short_to_check_says_nothing_of_a_check(people):
    study = make_study(people["owner"])
    add_trials(study, [("complete", 1 + (i - 5) ** 2 / 10, {"x": i / 10, "y": i % 3 / 2}) for i in range(10)])

    body = api_client(people["owner"]).get(_url(study)).json()

    assert body["calibration"] == {"trials": 0, "expected_gain": 0.0, "real_gain": 0.0, "chance": 1.0, "shrink": 1.0}
    assert "Checked against" not in body["sentence"]
