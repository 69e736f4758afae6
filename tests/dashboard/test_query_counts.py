"""Every page and endpoint makes a bounded number of queries, however many trials there are."""

import pytest

from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

CHARTS = ["parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance", "metric", "rank",
          "hypervolume"]


@pytest.fixture(params=[10, 200], ids=["10-trials", "200-trials"])
def sized_study(request, owner):
    study = make_study(owner, name=f"{request.param} trials")
    add_trials(study, [("complete", float(i), {"lr": 0.01, "depth": 2 + i % 10, "kernel": "rbf"})
                       for i in range(request.param)])
    return study


def test_study_page(site, sized_study, django_assert_max_num_queries):
    # The same bound at 10 and 200 trials; the sharing panels (role, members, links, notes) are included,
    # and the trial counts, which are read once per study revision and then come from the cache; and the
    # lineage (the parent and the narrower studies, one query); and the summary's facts, counted and
    # chosen in the database (`read.summary_facts`: 4 small queries, 5 with pruned trials) where one
    # query read every finished trial.
    with django_assert_max_num_queries(15):
        site.get(f"/studies/{sized_study.pk}/")


def test_live_poll(site, sized_study, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        site.get(f"/studies/{sized_study.pk}/live.json?since=0")


@pytest.mark.parametrize("chart", CHARTS)
def test_chart(site, sized_study, chart, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        site.get(f"/studies/{sized_study.pk}/charts/{chart}.json?x=lr&y=depth")


def test_study_list(site, owner, django_assert_max_num_queries):
    for i in range(12):
        add_trials(make_study(owner, name=f"s{i}"), [("complete", 1.0, {"lr": 0.01, "depth": 3, "kernel": "rbf"})])

    with django_assert_max_num_queries(7):
        response = site.get("/")

    assert len(response.context["rows"]) == 12


def test_export_streams_in_few_queries(site, sized_study, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = site.get(f"/studies/{sized_study.pk}/export.csv")
        b"".join(response.streaming_content)
