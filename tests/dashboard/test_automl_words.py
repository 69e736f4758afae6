"""Where Tuner chose the kind of model, the charts, the trial table, the forms and the compare page
name its parameters and kinds of model in words, as its header and What if panel do ("C of support vector
machine", "Support vector machine"), with the name the API and the exports use still in a hover or
a tooltip; a study on the user's own code keeps its names as written."""

import json
import re

import pytest

from dashboard import plots
from dashboard.context import control_words
from studies.objectives import auto_search_space
from studies.services import share_links
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

OBJECTIVE = {"kind": "sklearn", "estimator": ["svm", "knn"], "dataset": "iris", "metric": "accuracy", "cv": 3}


def _auto_study(owner):
    study = make_study(owner, space=auto_search_space(["svm", "knn"], "classification"), objective=OBJECTIVE,
                       directions=["maximize"])
    rows = [("complete", 0.80 + i / 100, {"estimator": "svm", "svm__C": 10.0 ** (i - 3), "svm__kernel": "linear"})
            for i in range(6)]
    rows += [("complete", 0.85 + i / 100, {"estimator": "knn", "knn__n_neighbors": 1 + 3 * i, "knn__weights": "uniform",
                                            "knn__p": 2}) for i in range(6)]
    add_trials(study, rows)
    return study


def _own_code_study(owner):
    """Your own code with a parameter that happens to be called like Tuner's."""
    space = {"estimator": {"type": "categorical", "choices": ["svm", "knn"]},
             "svm__C": {"type": "float", "low": 0.01, "high": 100.0, "log": True}}
    study = make_study(owner, space=space)
    add_trials(study, [("complete", float(i), {"estimator": ["svm", "knn"][i % 2], "svm__C": 10.0 ** (i - 2)})
                       for i in range(6)])
    return study


def _page_data(html):
    return json.loads(re.search(r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S).group(1))


@pytest.mark.parametrize("chart", ["slices", "rank"])
def test_the_panels_of_an_automl_study_are_titled_in_words(site, owner, chart):
    study = _auto_study(owner)

    figure = site.get(f"/studies/{study.pk}/charts/{chart}.json").json()

    titles = [figure["layout"][f"xaxis{i}"]["title"]["text"] for i in range(1, len(figure["traces"]) + 1)]
    assert titles[:2] == ["kind of model", "C of support vector machine"]


@pytest.mark.parametrize("chart", ["slices", "rank"])
def test_the_hover_of_an_automl_study_s_panel_names_its_parameter_in_words_and_in_code(site, owner, chart):
    study = _auto_study(owner)

    figure = site.get(f"/studies/{study.pk}/charts/{chart}.json").json()

    panel = figure["traces"][1]
    assert panel["name"] == "C of support vector machine (svm__C)" and panel["meta"] == "svm__C"


def test_the_kind_of_model_panel_writes_its_choices_as_the_leaderboard_names_them(site, owner):
    study = _auto_study(owner)

    figure = site.get(f"/studies/{study.pk}/charts/slices.json").json()

    axis = figure["layout"]["xaxis1"]
    assert axis["tickvals"] == ["svm", "knn"] and axis["ticktext"] == ["Support vector machine", "Nearest neighbours"]


def test_the_parallel_axes_of_an_automl_study_read_in_words_and_keep_their_parameter(site, owner):
    study = _auto_study(owner)

    figure = site.get(f"/studies/{study.pk}/charts/parallel.json").json()

    kind, c = figure["traces"][0]["dimensions"][:2]
    assert (kind["label"], kind["param"]) == ("kind of model", "estimator")
    assert kind["ticktext"][-2:] == ["Support vector machine", "Nearest neighbours"]
    assert (c["label"], c["param"]) == ("C of support vector machine (log)", "svm__C")


def test_the_contour_axes_of_an_automl_study_read_in_words(site, owner):
    study = _auto_study(owner)

    figure = site.get(f"/studies/{study.pk}/charts/contour.json", {"x": "estimator", "y": "knn__n_neighbors"}).json()

    assert figure["layout"]["xaxis"]["title"]["text"] == "kind of model"
    assert figure["layout"]["xaxis"]["ticktext"] == ["Support vector machine", "Nearest neighbours"]
    assert figure["layout"]["yaxis"]["title"]["text"] == "n_neighbors of nearest neighbours"


def test_the_importance_bars_of_an_automl_study_read_in_words_with_the_api_name_in_the_hover(owner):
    study = _auto_study(owner)

    figure = plots.importance_bars({"svm__C": 0.7, "estimator": 0.3}, control_words(study))

    bars = figure["traces"][0]
    assert bars["y"] == ["kind of model", "C of support vector machine"]
    assert bars["text"] == ["kind of model (estimator)", "C of support vector machine (svm__C)"]


def test_the_importance_of_several_objectives_reads_in_words(owner):
    study = _auto_study(owner)

    figure = plots.importance_by_objective([("accuracy", {"svm__C": 0.7}), ("fit time", {"svm__C": 0.2})],
                                           control_words(study))

    assert [trace["y"] for trace in figure["traces"]] == [["C of support vector machine"]] * 2


def test_an_own_code_study_s_charts_keep_its_names_as_written(site, owner):
    study = _own_code_study(owner)

    slices = site.get(f"/studies/{study.pk}/charts/slices.json").json()
    parallel = site.get(f"/studies/{study.pk}/charts/parallel.json").json()

    assert [(trace["name"], trace["meta"]) for trace in slices["traces"]] == [("estimator", "estimator"),
                                                                              ("svm__C", "svm__C")]
    assert "tickvals" not in slices["layout"]["xaxis1"]
    kind, c = parallel["traces"][0]["dimensions"][:2]
    assert [(kind["label"], kind["param"]), (c["label"], c["param"])] == [("estimator", "estimator"),
                                                                          ("svm__C (log)", "svm__C")]
    assert kind["ticktext"][-2:] == ["svm", "knn"]


def test_the_trial_table_of_an_automl_study_gets_its_words(site, owner):
    study = _auto_study(owner)

    data = _page_data(site.get(f"/studies/{study.pk}/").content.decode())

    assert data["words"]["labels"]["svm__C"] == "C of support vector machine"
    assert data["words"]["choice_labels"]["estimator"]["knn"] == "Nearest neighbours"


def test_an_own_code_study_s_table_gets_no_words(site, owner):
    study = _own_code_study(owner)

    data = _page_data(site.get(f"/studies/{study.pk}/").content.decode())

    assert data["words"] == {"labels": {}, "choice_labels": {}}


def test_the_range_filter_of_an_automl_study_offers_its_parameters_in_words(site, owner):
    study = _auto_study(owner)

    html = site.get(f"/studies/{study.pk}/").content.decode()

    assert '<option value="svm__C" title="svm__C">C of support vector machine</option>' in html


def test_the_best_trial_of_an_automl_study_keeps_the_api_name_in_a_tooltip(site, owner):
    study = _auto_study(owner)  # the best is trial #11, nearest neighbours with 16 neighbours

    html = site.get(f"/studies/{study.pk}/").content.decode()

    assert '<dt title="knn__n_neighbors">n_neighbors</dt><dd>16</dd>' in html
    assert '<dt title="estimator">kind of model</dt><dd>Nearest neighbours</dd>' in html


def test_an_own_code_study_s_best_trial_keeps_its_names_as_written(site, owner):
    study = _own_code_study(owner)  # the best is trial #0: estimator svm, svm__C 0.01

    html = site.get(f"/studies/{study.pk}/").content.decode()

    assert "<dt>estimator</dt><dd>svm</dd><dt>svm__C</dt><dd>0.01</dd>" in html


def test_a_shared_automl_study_s_charts_read_in_words_too(client, owner):
    study = _auto_study(owner)
    _, token = share_links.create_share_link(study.pk, owner)

    figure = client.get(f"/share/{token}/charts/slices.json").json()

    assert figure["layout"]["xaxis2"]["title"]["text"] == "C of support vector machine"


def test_the_report_s_best_trials_read_in_words(site, owner):
    study = _auto_study(owner)

    html = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert '<th title="svm__C">C of support vector machine</th>' in html
    assert "<td>Nearest neighbours</td>" in html


def test_the_compare_page_heads_an_automl_study_s_best_parameters_in_words_with_the_api_name_as_tooltip(site, owner):
    study = _auto_study(owner)  # the best is trial #11, nearest neighbours with 16 neighbours

    html = site.get(f"/compare/?ids={study.pk}").content.decode()

    assert ('<th title="estimator">kind of model</th>'
            '<th title="knn__n_neighbors">n_neighbors of nearest neighbours</th>') in html
    assert '<td title="knn">Nearest neighbours</td><td>16</td>' in html


def test_the_compare_page_keeps_an_own_code_study_s_names_beside_an_automl_study(site, owner):
    automl, own = _auto_study(owner), _own_code_study(owner)  # both have an "estimator" in their best trials

    html = site.get(f"/compare/?ids={automl.pk},{own.pk}").content.decode()

    assert "<th>estimator</th>" in html, "the same name means other things in the two studies: kept as written"
    assert '<th title="knn__n_neighbors">n_neighbors of nearest neighbours</th>' in html
    assert '<td title="knn">Nearest neighbours</td>' in html and "<td>svm</td>" in html
