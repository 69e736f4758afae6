"""The pages call a study's single value by its name (`Study.objective_labels`): the study page,
its share link, the report, the trial page, the studies list, the charts and the compare page
say "validation loss" (or a built-in model's metric) where they said "value"."""

import html

import pytest

from studies.services import share_links
from studies.models import Study
from tests.api.helpers import external_spec

pytestmark = pytest.mark.django_db

LOSSES = [0.9, 0.5, 0.7, 0.3, 0.8, 0.6]


def _named_study(api, name="validation loss"):
    response = api.post("/api/studies/", external_spec(objective_names=[name]), format="json")
    assert response.status_code == 201, response.data
    study = Study.objects.get(pk=response.data["id"])
    for i, loss in enumerate(LOSSES):
        trial = api.post(f"/api/studies/{study.pk}/ask/").data
        api.post(f"/api/trials/{trial['id']}/tell/", {"value": loss, "metrics": {"train_s": 10.0 + i}}, format="json")
    return study


def _text(response):
    return html.unescape(response.content.decode())


def test_the_study_page_calls_the_best_value_by_its_name(api, site):
    study = _named_study(api)

    page = _text(site.get(f"/studies/{study.pk}/"))

    assert 'data-testid="best-label">Best validation loss (lowest is best)</div>' in page
    assert "The best validation loss so far is 0.3 (lowest is best), from trial #3." in page
    assert "coloured by state; the line is the best validation loss so far." in page


def test_the_study_page_gives_its_charts_and_trial_table_the_name(api, site):
    study = _named_study(api)

    page = _text(site.get(f"/studies/{study.pk}/"))

    assert '"value_title": "validation loss"' in page
    assert '"objective_labels": ["validation loss"]' in page  # the trial table's column header
    assert '<option value="value">validation loss</option>' in page
    assert "The validation loss against each parameter on its own." in page


def test_the_importance_chart_shares_out_the_variation_in_the_named_value(api, site):
    study = _named_study(api)

    importance = site.get(f"/studies/{study.pk}/charts/importance.json").json()

    assert importance["layout"]["xaxis"]["title"]["text"] == "share of the variation in the validation loss"


def test_the_share_link_page_calls_the_best_value_by_its_name(api, owner, client):
    study = _named_study(api)
    _, token = share_links.create_share_link(study.pk, owner)

    page = _text(client.get(f"/share/{token}/"))

    assert "Best validation loss (lowest is best)" in page
    assert "The best validation loss so far is 0.3" in page


def test_the_report_calls_the_best_value_and_its_column_by_the_name(api, site):
    study = _named_study(api)

    report = _text(site.get(f"/studies/{study.pk}/report.html"))

    assert '<div class="label">Best validation loss (lowest is best)</div>' in report
    assert "<th>#</th><th>validation loss</th>" in report
    assert "Each dot is a trial; the line is the best validation loss so far." in report


def test_the_trial_page_labels_the_trials_result_by_the_name(api, site):
    study = _named_study(api)

    page = _text(site.get(f"/studies/{study.pk}/trials/3/"))

    assert 'data-testid="value-label">Validation loss</div>' in page


def test_the_studies_list_names_what_each_best_value_measures(api, site):
    _named_study(api)

    page = _text(site.get("/"))

    assert '<span class="muted" data-testid="value-name">validation loss</span>' in page


def test_the_charts_title_the_value_axis_by_the_name(api, site):
    study = _named_study(api)

    slices = site.get(f"/studies/{study.pk}/charts/slices.json").json()
    edf = site.get(f"/studies/{study.pk}/charts/edf.json").json()
    rank = site.get(f"/studies/{study.pk}/charts/rank.json").json()
    metric = site.get(f"/studies/{study.pk}/charts/metric.json?metric=train_s").json()

    assert slices["layout"]["yaxis"]["title"]["text"] == "validation loss"
    assert metric["layout"]["yaxis"]["title"]["text"] == "validation loss"
    assert edf["layout"]["xaxis"]["title"]["text"] == "validation loss"
    assert rank["layout"]["yaxis"]["title"]["text"] == "validation loss"


def test_the_compare_page_names_the_axes_when_every_study_measures_the_same(api, site):
    first, second = _named_study(api), _named_study(api)

    page = _text(site.get(f"/compare/?ids={first.pk},{second.pk}"))

    assert '"text": "best validation loss so far"' in page
    assert '"text": "best validation loss"' in page


def test_a_built_in_model_study_page_calls_the_best_value_by_its_metric(api, site):
    body = {"name": "forest", "budget": {"n_trials": 5},
            "objective": {"kind": "sklearn", "estimator": "knn", "dataset": "iris", "metric": "accuracy"}}
    study_id = api.post("/api/studies/", body, format="json").data["id"]

    page = _text(site.get(f"/studies/{study_id}/"))

    assert 'data-testid="best-label">Best accuracy (highest is best)</div>' in page


def test_an_unnamed_study_still_says_best_value(api, site):
    study = Study.objects.get(pk=api.post("/api/studies/", external_spec(), format="json").data["id"])

    page = _text(site.get(f"/studies/{study.pk}/"))

    assert 'data-testid="best-label">Best value (lowest is best)</div>' in page


def test_the_wizard_asks_what_ones_own_codes_number_measures(site):
    page = _text(site.get("/studies/new/"))

    assert '<label for="value-name">What does the number measure?' in page
    assert '<p class="field-error" data-error-for="objective_names"></p>' in page


def test_a_duplicate_of_ones_own_code_study_keeps_the_name_of_its_value(api, site):
    study = _named_study(api)

    prefill = site.get(f"/studies/new/?from={study.pk}").context["wizard"]["prefill"]

    assert prefill["objective_names"] == ["validation loss"]
