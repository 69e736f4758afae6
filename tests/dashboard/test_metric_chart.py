"""The chart of the value against a metric the trials recorded, and markup in metric names and attrs."""

import pytest

from studies.models import Study, Trial

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

# Metric names may hold no double quote (see trial_extras), so the markup is unquoted.
LINK = "<a href=https://x.example>win</a>"


@pytest.fixture
def timed_study(owner):
    """Four trials: three complete ones recorded train_time_s (one of them failed), one did not."""
    study = make_study(owner)
    rows = [("complete", 0.5, {}), ("complete", 0.2, {}), ("failed", None, {}), ("complete", 0.9, {})]
    trials = add_trials(study, rows)
    for trial, seconds in zip(trials[:3], (10.0, 30.0, 5.0)):
        Trial.objects.filter(pk=trial.pk).update(metrics={"train_time_s": seconds, LINK: 1.0})
    Study.objects.filter(pk=study.pk).update(metric_names=["train_time_s", LINK], attr_names=[LINK])
    study.refresh_from_db()
    return study


def _chart(site, study, metric):
    response = site.get(f"/studies/{study.pk}/charts/metric.json", {"metric": metric})
    assert response.status_code == 200
    return response.json()


def test_plots_the_value_of_each_complete_trial_against_the_chosen_metric(site, timed_study):
    figure = _chart(site, timed_study, "train_time_s")

    [trace] = figure["traces"]
    assert (trace["x"], trace["y"]) == ([10.0, 30.0], [0.5, 0.2])
    assert trace["text"] == ["trial 0", "trial 1"]
    assert figure["layout"]["xaxis"]["title"]["text"] == "train_time_s"


def test_without_a_chosen_metric_it_asks_for_one(site, timed_study):
    figure = _chart(site, timed_study, "")

    assert figure["traces"] == [] and "Choose a metric" in figure["empty"]


def test_a_study_without_metrics_says_how_to_record_them(site, owner):
    study = make_study(owner)
    add_trials(study, [("complete", 0.5, {})])

    figure = _chart(site, study, "anything")

    assert "No trial has recorded a metric yet" in figure["empty"]


def test_a_running_study_of_your_own_code_shows_the_card_before_any_metric_is_recorded(site, owner):
    study = make_study(owner, state=Study.State.RUNNING)

    assert "Value against a metric" in site.get(f"/studies/{study.pk}/").content.decode()


def test_a_share_link_of_a_running_study_of_your_own_code_has_no_card_before_any_metric(client, owner):
    from studies.services import share_links

    study = make_study(owner, state=Study.State.RUNNING)
    _, token = share_links.create_share_link(study.pk, owner)

    page = client.get(f"/share/{token}/").content.decode()

    assert "Value against a metric" not in page, "its how-to is for the code's author, not a reader"
    assert "charts/metric.json" not in page, "nor its preload"


def test_a_finished_study_that_recorded_no_metric_has_no_metric_card(site, owner):
    study = make_study(owner, state=Study.State.COMPLETED)
    add_trials(study, [("complete", 0.5, {})])

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "Value against a metric" not in page
    assert "charts/metric.json" not in page, "nor its preload"


def test_a_finished_study_that_recorded_metrics_keeps_its_metric_card(site, timed_study):
    Study.objects.filter(pk=timed_study.pk).update(state=Study.State.COMPLETED)

    assert "Value against a metric" in site.get(f"/studies/{timed_study.pk}/").content.decode()


def test_the_chart_of_each_metric_is_cached_apart(site, timed_study):
    _chart(site, timed_study, "train_time_s")

    figure = _chart(site, timed_study, LINK)

    assert figure["traces"][0]["x"] == [1.0, 1.0]


def test_a_metric_name_with_markup_reaches_plotly_as_text(site, timed_study):
    figure = _chart(site, timed_study, LINK)

    assert figure["layout"]["xaxis"]["title"]["text"] == "&lt;a href=https://x.example>win&lt;/a>"
    assert figure["traces"][0]["name"].startswith("&lt;a")


def test_markup_in_metric_names_and_attr_keys_is_text_on_the_study_page(site, timed_study):
    html = site.get(f"/studies/{timed_study.pk}/").content.decode()

    assert LINK not in html
    assert "Value against a metric" in html


def test_the_chart_reads_a_bounded_number_of_queries(site, timed_study, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        site.get(f"/studies/{timed_study.pk}/charts/metric.json", {"metric": "train_time_s"})


def test_the_trial_page_shows_its_metrics_and_attrs_as_text(site, timed_study):
    Trial.objects.filter(study=timed_study, number=0).update(attrs={"note": LINK, "tags": ["a", "b"]})

    html = site.get(f"/studies/{timed_study.pk}/trials/0/").content.decode()

    assert "Metrics and attributes" in html and "train_time_s" in html
    assert LINK not in html and "&lt;a href=https://x.example&gt;win&lt;/a&gt;" in html
    assert "[&quot;a&quot;, &quot;b&quot;]" in html
