"""Opening a study page fetches each chart's JSON once, early (preloaded while plotly.js loads)."""

from collections import Counter

import pytest

from tests.dashboard.conftest import add_trials, make_study

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every chart has drawn, or says why it is empty (this study reported no learning curves).
CHARTS_DRAWN = """() => [...document.querySelectorAll('#chart-history, [data-chart]')].every((c) =>
  c.querySelector('.main-svg') || !document.getElementById('empty-' + c.id.slice(6)).hidden)"""


def test_opening_a_study_page_fetches_each_chart_once(logged_in, user):
    study = make_study(user, name="Fetched once", state="completed")
    add_trials(study, [("complete", float((i * 37) % 101), {"lr": 10 ** (-4 + i / 20), "depth": 2 + i % 10,
                                                            "kernel": "rbf"}) for i in range(40)])
    fetched = Counter()
    logged_in.on("request", lambda request: fetched.update(
        [request.url.split("?")[0].rsplit("/", 1)[-1]] if "/charts/" in request.url else []))

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)
    logged_in.wait_for_timeout(2500)  # past the first polls, which must not fetch the charts again

    charts = logged_in.eval_on_selector_all("[data-chart]", "(els) => els.map((el) => el.dataset.chart + '.json')")
    assert fetched == Counter(charts)


def test_every_chart_json_the_page_reads_as_it_opens_was_preloaded(logged_in, user):
    # A running study of the user's own code has the metric chart, which says it has no metric yet.
    study = make_study(user, name="Preloaded", state="running")
    add_trials(study, [("complete", float(i % 7), {"lr": 10 ** (-4 + i / 20), "depth": 2 + i % 10, "kernel": "rbf"})
                       for i in range(20)])

    logged_in.goto(f"/studies/{study.pk}/")
    logged_in.wait_for_function(CHARTS_DRAWN)

    # A preloaded response is timed as the <link>'s; one the script had to ask for as the fetch's.
    asked = logged_in.evaluate("""() => performance.getEntriesByType('resource')
      .filter((r) => r.name.includes('/charts/')).map((r) => [r.name.split('/charts/')[1], r.initiatorType])""")
    assert {name.split("?")[0] for name, _ in asked} >= {"metric.json", "parallel.json", "contour.json"}
    assert [name for name, initiator in asked if initiator != "link"] == []
