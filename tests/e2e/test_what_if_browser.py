"""In Chromium: the owner moves the What if… controls (a choice that brings in a conditional
parameter), the prediction follows, and "Try these parameters" queues a trial with them."""

import pytest

from studies.models import Trial
from studies.objectives import auto_search_space
from studies.services.trials import ask_trial, tell_trial
from tests.conftest import wait_for
from tests.e2e.conftest import log_in, open_tab, screenshot
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0},
         "lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
         "kind": {"type": "categorical", "choices": ["a", "b"]},
         "depth": {"type": "int", "low": 1, "high": 5, "condition": {"kind": ["b"]}}}


@pytest.fixture
def study(people):
    study = make_study(people["owner"], space=SPACE)
    rows = [("complete", (i - 3) ** 2 / 10, {"x": i / 7, "lr": 10 ** -(i % 4), "kind": "a"}) for i in range(6)]
    rows += [("complete", 2.0 + d / 10, {"x": 0.5, "lr": 0.01, "kind": "b", "depth": d}) for d in (1, 3, 5)]
    add_trials(study, rows)
    return study


def test_moving_the_controls_changes_the_prediction_and_try_queues_the_trial(browser, live_server, study):
    errors = []
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    tab.wait_for_function("document.querySelector('#what-if').dataset.mean !== undefined")
    before = tab.locator("[data-what-if-mean]").text_content()
    depth_hidden_for_a = tab.locator("#what-if-depth").is_hidden()  # the best trial (#3) has kind a

    tab.select_option("#what-if-kind", label="b")
    tab.wait_for_function(f"document.querySelector('[data-what-if-mean]').textContent !== {before!r}")
    screenshot(tab, "what-if")
    tab.click("[data-what-if-try]")
    tab.wait_for_selector("text=Queued as trial #9")

    assert depth_hidden_for_a and tab.locator("#what-if-depth").is_visible()
    trial = wait_for(lambda: Trial.objects.filter(study=study, number=9).first())
    assert trial.params["kind"] == "b" and trial.params["depth"] == 3 and trial.state == "waiting"
    assert not errors


def test_the_guess_and_the_advice_come_once_enough_trials_have_finished(browser, live_server, people):
    study = make_study(people["owner"], space={"x": {"type": "float", "low": 0.0, "high": 1.0}}, state="running")
    errors = []
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    tab.wait_for_selector("[data-what-if-waiting]:has-text('The guesses start once 5 trials have completed (0 so far).')")
    controls_hidden = tab.locator("[data-what-if-controls]").is_hidden()

    for _ in range(6):  # an engineer's training loop, through the same services as the API
        trial = ask_trial(study.pk, worker="laptop")
        tell_trial(trial.pk, value=(trial.params["x"] - 0.3) ** 2)

    tab.wait_for_function("document.querySelector('#what-if').dataset.mean !== undefined", timeout=30_000)
    tab.wait_for_function("!document.querySelector('[data-advice-sentence]').textContent.includes('at least')")
    assert controls_hidden, "no controls that answer nothing"
    assert tab.locator("[data-what-if-waiting]").is_hidden() and tab.locator("[data-what-if-controls]").is_visible()
    assert tab.locator("[data-what-if-error]").is_hidden()
    assert not errors


def test_an_auto_study_s_controls_read_in_words(browser, live_server, people):
    objective = {"kind": "sklearn", "estimator": "auto", "dataset": "iris", "metric": "accuracy", "cv": 3}
    study = make_study(people["owner"], space=auto_search_space("auto", "classification"), objective=objective,
                       directions=["maximize"])
    add_trials(study, [("complete", 0.90 + i / 100, {"estimator": "svm", "svm__C": 10.0 ** (i - 2),
                                                     "svm__kernel": "linear"}) for i in range(6)])
    errors = []
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")

    tab.goto(f"/studies/{study.pk}/")
    tab.wait_for_selector("#what-if-svm__C")

    assert tab.locator("label[for='what-if-svm__C']").text_content() == "C of support vector machine (log scale)"
    assert tab.locator("label[for='what-if-estimator']").text_content() == "kind of model"
    assert tab.locator("#what-if-estimator option:checked").text_content() == "Support vector machine"
    assert not errors


def _page_answered_with(browser, live_server, study, horizons, sentence, errors):
    """The study page, its advice.json answered with these horizons (as the server words a study
    whose later horizons pile at R² 1: tests/services/test_advice_body.py)."""
    advice = {"best": 0.984, "direction": "maximize", "n_trials": 20, "horizons": horizons, "improvement": [],
              "calibration": None, "sentence": sentence}
    tab = open_tab(browser, errors, 20_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    tab.route("**/advice.json", lambda route: route.fulfill(json=advice))
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    return tab


def _horizon(n, best, share):
    return {"more_trials": n, "expected_best": best, "low": 0.98, "high": 1.0, "at_limit": share, "quoted": share < 0.1}


def test_the_advice_chart_leaves_out_the_horizons_its_sentence_does_not_quote(browser, live_server, study):
    errors = []
    horizons = [_horizon(10, 0.985, 0.05), _horizon(50, 1.0, 0.4), _horizon(200, 1.0, 1.0)]

    tab = _page_answered_with(browser, live_server, study, horizons, "10 more trials ...; further ahead ...", errors)
    tab.wait_for_function("document.querySelector('#chart-advice').data !== undefined")

    assert tab.evaluate("document.querySelector('#chart-advice').data[0].x") == ["now", "10 more"]
    assert not errors


def test_the_advice_chart_is_hidden_when_its_sentence_quotes_no_horizon(browser, live_server, study):
    errors = []
    horizons = [_horizon(n, 1.0, 0.5) for n in (10, 50, 200)]

    tab = _page_answered_with(browser, live_server, study, horizons, "The model cannot yet tell ...", errors)
    tab.wait_for_selector("[data-advice-sentence]:has-text('cannot yet tell')")

    assert tab.locator("#chart-advice").is_hidden()
    assert not errors
