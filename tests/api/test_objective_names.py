"""A study with several objectives names them (objective_names): the API keeps them, and the page,
its charts and its report call each objective by its name instead of "objective 1"."""

import html

import pytest

from studies.models import Study
from tests.api.helpers import external_spec

pytestmark = pytest.mark.django_db

NAMED = ["accuracy", "latency_ms"]


def _spec(**overrides):
    body = external_spec(**{"directions": ["maximize", "minimize"], "objective_names": NAMED, **overrides})
    del body["direction"]
    return body


def _named_study(api):
    response = api.post("/api/studies/", _spec(), format="json")
    assert response.status_code == 201, response.data
    study = Study.objects.get(pk=response.data["id"])
    for i, (accuracy, latency) in enumerate([(0.9, 40.0), (0.8, 10.0), (0.7, 50.0), (0.95, 80.0)]):
        trial = api.post(f"/api/studies/{study.pk}/ask/").data
        api.post(f"/api/trials/{trial['id']}/tell/", {"values": [accuracy, latency]}, format="json")
    return study


def test_the_api_keeps_the_names_of_the_objectives(api):
    response = api.post("/api/studies/", _spec(), format="json")

    assert response.status_code == 201, response.data
    assert response.data["objective_names"] == NAMED
    assert api.get(f"/api/studies/{response.data['id']}/").data["objective_names"] == NAMED


def test_a_study_without_names_calls_its_objectives_by_number(api):
    body = _spec()
    del body["objective_names"]

    study = Study.objects.get(pk=api.post("/api/studies/", body, format="json").data["id"])

    assert study.objective_names == []
    assert study.objective_labels == ["objective 1", "objective 2"]


@pytest.mark.parametrize("names, field, fault", [
    (["accuracy"], "objective_names", "a list of 2 names, one per direction"),
    ("accuracy", "objective_names", "a list of 2 names, one per direction"),
    (["accuracy", "accuracy"], "objective_names", "must differ from each other"),
    (["accuracy", ""], "objective_names[1]", "is not text"),
    (["accuracy", 3], "objective_names[1]", "is not text"),
    (["accuracy", "x" * 61], "objective_names[1]", "at most 60"),
    (["accuracy", "lat\nency"], "objective_names[1]", "control character"),
])
def test_bad_objective_names_answer_400_naming_the_fault_and_store_nothing(api, names, field, fault):
    response = api.post("/api/studies/", _spec(objective_names=names), format="json")

    assert response.status_code == 400
    assert fault in " ".join(response.data[field]), response.data
    assert Study.objects.count() == 0


def test_the_pareto_front_and_rank_charts_title_their_axes_by_the_names(api, site):
    study = _named_study(api)

    pareto = site.get(f"/studies/{study.pk}/charts/pareto.json").json()
    rank = site.get(f"/studies/{study.pk}/charts/rank.json").json()

    assert pareto["layout"]["xaxis"]["title"]["text"] == "accuracy (highest is best)"
    assert pareto["layout"]["yaxis"]["title"]["text"] == "latency_ms (lowest is best)"
    assert rank["layout"]["yaxis"]["title"]["text"] == "accuracy (highest is best)"


def test_the_hypervolume_note_names_the_corner_by_the_objectives(api, site):
    study = _named_study(api)

    note = site.get(f"/studies/{study.pk}/charts/hypervolume.json").json()["note"]

    assert note.startswith("Measured up to the corner where accuracy is ")
    assert ", latency_ms is " in note


def test_the_study_page_names_the_objectives_in_its_header_summary_and_history(api, site):
    study = _named_study(api)

    page = html.unescape(site.get(f"/studies/{study.pk}/").content.decode())

    assert "accuracy (highest is best) · latency_ms (lowest is best)" in page
    assert ("With 2 objectives (accuracy: higher is better; latency_ms: lower is better) there is no single best"
            in page)
    assert '"value_title": "accuracy (highest is best)"' in page
    assert "3 trials make up the Pareto front, the best trade-offs. Among them the best accuracy is 0.95" in page
    assert "Each dot is a trial at its number and its accuracy, coloured by state." in page


def test_the_report_lists_the_front_under_the_objectives_names(api, site):
    study = _named_study(api)

    report = html.unescape(site.get(f"/studies/{study.pk}/report.html").content.decode())

    assert "<th>accuracy (highest is best)</th><th>latency_ms (lowest is best)</th>" in report
    assert "They are listed by accuracy, best first." in report


def test_the_charts_of_one_value_per_trial_name_the_first_objective_they_plot(api, site):
    study = _named_study(api)

    parallel = site.get(f"/studies/{study.pk}/charts/parallel.json").json()
    edf = site.get(f"/studies/{study.pk}/charts/edf.json").json()
    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert parallel["traces"][0]["dimensions"][-1]["label"] == "accuracy"
    assert edf["layout"]["xaxis"]["title"]["text"] == "accuracy"
    assert page.count("With several objectives, the value here is the first one, accuracy.") == 4
