"""Opening a study page: the charts come first. What the page's other panels ask for as it opens
(the trial table, the share links, the re-check, what if and its advice) and the next live poll
are sent once every chart is drawn, not beside the charts' JSON, and still fill their panels; a
chart that never arrives holds them back 2 s at most."""

import pytest

from tests.dashboard.conftest import add_trials, make_study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOLD_MS = 2000  # the longest the charts hold the other panels back (poll.js, tunerAfterOpening)
SPACE = {"lr": {"type": "float", "low": 1e-4, "high": 1.0, "log": True}, "depth": {"type": "int", "low": 2, "high": 11}}
CHARTS_DRAWN = """() => [...document.querySelectorAll('#chart-history, [data-chart]')].every((c) =>
  c.querySelector('.main-svg') || !document.getElementById('empty-' + c.id.slice(6)).hidden)"""
# When the page's last chart finished drawing (its charts' `chart <name>` measures, charts.js),
# and when each request the page's scripts sent themselves (not a preload) was sent.
TIMES = """() => {
  const charts = new Set(['history', ...[...document.querySelectorAll('[data-chart]')].map((el) => el.dataset.chart)]);
  const draws = performance.getEntriesByType('measure').filter((m) => charts.has(m.name.slice(6)));
  return {lastDrawn: Math.max(...draws.map((m) => m.startTime + m.duration)), nDraws: draws.length,
          nDrawn: [...document.querySelectorAll('#chart-history, [data-chart]')].filter((c) => c.querySelector('.main-svg')).length,
          sent: performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'fetch')
            .map((r) => [r.name.split('?')[0].replace(/\\/$/, '').split('/').pop(), r.startTime])};
}"""
PANELS_FILLED = """() => document.querySelectorAll('#trial-table tbody tr').length === 25
  && document.querySelector('[data-what-if-mean]').textContent !== '—'
  && document.querySelector('#chart-advice .main-svg') !== null
  && document.querySelector('[data-link-rows]').textContent.includes('No links yet')
  && document.getElementById('recheck').dataset.state !== undefined"""


@pytest.fixture
def study(user):
    study = make_study(user, name="Opening", space=SPACE, state="running", n_trials=100)  # polled
    add_trials(study, [("complete", float((i * 37) % 101), {"lr": 10 ** (-4 + i / 10), "depth": 2 + i % 10})
                       for i in range(40)])
    return study


def test_the_other_panels_ask_only_once_every_chart_is_drawn(logged_in, study):
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(PANELS_FILLED)
    logged_in.wait_for_timeout(1500)  # the next live poll

    times = logged_in.evaluate(TIMES)

    sent = {name: at for name, at in times["sent"]}
    assert {"trials.json", "share-links", "recheck.json", "what-if.json", "advice.json", "live.json"} <= set(sent)
    assert times["nDraws"] >= times["nDrawn"] >= 8, "the charts drawn, each measured"
    # Before the last chart, a panel may ask only once its 2 s hold has run out: under a loaded
    # machine's draws (3.9 s at load 15) the hold lets it go, as it should.
    early = {name: round(at) for name, at in times["sent"] if at < min(times["lastDrawn"], HOLD_MS)}
    assert early == {}, f"sent before the last chart was drawn at {times['lastDrawn']:.0f} ms"


def test_the_panels_fill_after_the_charts(logged_in, study):
    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    logged_in.wait_for_function(PANELS_FILLED)
    assert logged_in.locator("#table-status").text_content() == "of 2 · 40 trials"


def test_a_chart_that_never_arrives_holds_the_panels_back_two_seconds_at_most(logged_in, study):
    logged_in.route("**/charts/edf.json", lambda route: None)  # never answered

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(PANELS_FILLED)

    assert logged_in.locator("#chart-edf .main-svg").count() == 0
    assert logged_in.locator("#chart-parallel .main-svg").count() > 0
