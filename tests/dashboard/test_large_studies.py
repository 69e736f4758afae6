"""Studies too large to draw every trial: charts read a sample chosen in the database and say how
many trials they show; the study JSON goes out gzipped (each chart compressed once per revision),
pages with a CSRF token never do; the page asks early for the scripts that draw the charts, then
for the JSON they read as it opens."""

import gzip
import json

import pytest
from django.core.cache import cache

from dashboard import charts, plots
from studies.services import read
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

N_TRIALS = 30
SHOWN = 10


@pytest.fixture
def thirty_trials(owner):
    study = make_study(owner, name="thirty", n_trials=N_TRIALS)
    # Values 29, 28, ..., 0: the last trials are the best.
    add_trials(study, [("complete", float(N_TRIALS - 1 - i), {"lr": 0.001 * (i + 1), "depth": 2 + i % 10,
                                                               "kernel": "rbf"}) for i in range(N_TRIALS)])
    cache.clear()
    return study


@pytest.fixture
def few_lines_and_points(monkeypatch):
    monkeypatch.setattr(plots, "MAX_LINES", SHOWN)
    monkeypatch.setattr(plots, "MAX_SLICE_POINTS", SHOWN)
    monkeypatch.setattr(charts, "MAX_CONTOUR_TRIALS", SHOWN)


@pytest.mark.parametrize("name", ["parallel", "slices", "contour", "rank"])
def test_a_thinned_chart_says_how_many_trials_it_shows(site, thirty_trials, few_lines_and_points, name):
    figure = site.get(f"/studies/{thirty_trials.pk}/charts/{name}.json?x=lr&y=depth").json()

    assert figure["note"].startswith(f"Showing {SHOWN} of {N_TRIALS} trials")


def test_parallel_coordinates_show_at_most_the_limit_of_lines(site, thirty_trials, few_lines_and_points):
    figure = site.get(f"/studies/{thirty_trials.pk}/charts/parallel.json").json()

    assert len(figure["traces"][0]["dimensions"][-1]["values"]) == SHOWN


def test_a_chart_of_every_trial_says_nothing_about_a_sample(site, thirty_trials):
    figure = site.get(f"/studies/{thirty_trials.pk}/charts/parallel.json").json()

    assert figure["note"] is None


def test_the_sample_holds_the_best_half_and_the_first_trial(thirty_trials):
    rows, n_total = read.sample_complete_rows(thirty_trials, SHOWN)

    numbers = [row.number for row in rows]
    assert n_total == N_TRIALS
    assert set(range(N_TRIALS - SHOWN // 2, N_TRIALS)) <= set(numbers)
    assert 0 in numbers and numbers == sorted(numbers)
    assert all(row.params for row in rows)


def test_the_sample_of_a_maximised_study_holds_its_highest_values(owner):
    study = make_study(owner, directions=("maximize",))
    add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(N_TRIALS)])

    rows, _ = read.sample_complete_rows(study, SHOWN)

    assert {N_TRIALS - 1, N_TRIALS - 2} <= {row.number for row in rows}


@pytest.mark.parametrize("path", ["charts/edf.json", "live.json?since=0", "trials.json"])
def test_study_json_is_gzipped_for_a_client_that_accepts_it(site, thirty_trials, path):
    response = site.get(f"/studies/{thirty_trials.pk}/{path}", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))


def test_study_json_is_plain_for_a_client_that_does_not_accept_gzip(site, thirty_trials):
    response = site.get(f"/studies/{thirty_trials.pk}/charts/edf.json")

    assert not response.has_header("Content-Encoding")
    assert response.json()["traces"]


def test_the_study_page_which_carries_a_csrf_token_is_never_compressed(site, thirty_trials):
    response = site.get(f"/studies/{thirty_trials.pk}/", HTTP_ACCEPT_ENCODING="gzip")

    assert not response.has_header("Content-Encoding")
    assert b"csrf" in response.content.lower()


def test_the_study_page_preloads_the_json_its_script_reads_as_it_opens(site, thirty_trials):
    page = site.get(f"/studies/{thirty_trials.pk}/").content.decode()

    for url in ("live.json?since=0", "charts/parallel.json", "charts/contour.json?x=lr&amp;y=depth"):
        assert f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">' in page


def test_the_study_page_asks_for_the_scripts_that_draw_the_charts_before_their_json(site, thirty_trials):
    page = site.get(f"/studies/{thirty_trials.pk}/").content.decode()

    scripts = [page.index(f'{name}" as="script">') for name in ("plotly-tuner-4.1.1.min.js", "poll.js", "charts.js",
                                                                    "study.js")]
    assert max(scripts) < page.index('as="fetch"')


def test_a_poll_that_finds_nothing_new_reuses_the_counted_states(site, thirty_trials, django_assert_max_num_queries):
    site.get(f"/studies/{thirty_trials.pk}/live.json?since={thirty_trials.revision}")

    with django_assert_max_num_queries(5) as queries:
        site.get(f"/studies/{thirty_trials.pk}/live.json?since={thirty_trials.revision}")

    assert not any("COUNT" in query["sql"] and "GROUP BY" in query["sql"] for query in queries.captured_queries)


def test_the_sample_of_a_multi_objective_study_ranks_by_the_first_objective(owner):
    study = make_study(owner, directions=("minimize", "maximize"))
    add_trials(study, [("complete", (float(N_TRIALS - i), float(i)), {"lr": 0.01, "depth": 3, "kernel": "rbf"})
                       for i in range(N_TRIALS)])

    rows, n_total = read.sample_complete_rows(study, SHOWN)

    assert n_total == N_TRIALS
    assert {N_TRIALS - 1, N_TRIALS - 2} <= {row.number for row in rows}
    assert len(rows) == SHOWN


def test_a_chart_is_written_and_compressed_once_however_often_it_is_asked_for(site, thirty_trials, monkeypatch):
    compressed = []
    compress = gzip.compress
    monkeypatch.setattr(gzip, "compress", lambda data, *args, **kwargs: compressed.append(data) or compress(data, *args, **kwargs))

    answers = [site.get(f"/studies/{thirty_trials.pk}/charts/edf.json", HTTP_ACCEPT_ENCODING="gzip") for _ in range(3)]

    assert len(compressed) == 1
    assert answers[2].content == answers[0].content


def test_a_chart_answer_says_it_depends_on_the_accepted_encoding(site, thirty_trials):
    response = site.get(f"/studies/{thirty_trials.pk}/charts/edf.json", HTTP_ACCEPT_ENCODING="gzip")

    assert "Accept-Encoding" in response["Vary"]
