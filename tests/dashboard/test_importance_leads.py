"""Where Tuner chose the kind of model, the importance chart marks, for each kind, the one of its
settings that mattered most, as the summary's sentence names it for the best trial's kind: a bar
in a colour of its own, a legend and a note that say what the mark means; nothing for a kind whose
trials do not tell, nor for a kind with one setting, which leads it whatever the trials say."""

import pytest

from dashboard import plots
from dashboard.names import control_words
from dashboard.states import LEAD
from studies.objectives import auto_search_space

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

OBJECTIVE = {"kind": "sklearn", "estimator": ["svm", "knn", "logistic_regression"], "dataset": "iris",
             "metric": "accuracy", "cv": 3}


@pytest.fixture
def figure(site, owner):
    """Support vector machines follow C alone; nearest neighbours score the same whatever their
    settings (so their trials cannot tell which matters); logistic regression has C alone."""
    study = make_study(owner, space=auto_search_space(OBJECTIVE["estimator"], "classification"), objective=OBJECTIVE,
                       directions=["maximize"])
    svm = [("complete", 0.6 + 0.3 * i / 23, {"estimator": "svm", "svm__C": 10.0 ** (-3 + 6 * i / 23),
                                             "svm__kernel": "linear"}) for i in range(24)]
    knn = [("complete", 0.7, {"estimator": "knn", "knn__n_neighbors": 1 + (i * 5) % 30,
                              "knn__weights": ["uniform", "distance"][i % 2], "knn__p": 1 + i % 2}) for i in range(24)]
    logistic = [("complete", 0.5 + 0.2 * i / 11, {"estimator": "logistic_regression",
                                                  "logistic_regression__C": 10.0 ** (-4 + 7 * i / 11)})
                for i in range(12)]
    add_trials(study, svm + knn + logistic)
    return site.get(f"/studies/{study.pk}/charts/importance.json").json()


def _marked(figure):
    return [trace for trace in figure["traces"] if trace["marker"]["color"] == LEAD]


def test_the_setting_that_mattered_most_for_its_kind_of_model_has_a_bar_of_its_own_colour_in_a_legend(figure):
    marked = _marked(figure)

    assert marked and "C of support vector machine" in marked[0]["y"]
    assert marked[0]["name"] == "mattered most for its kind of model" and marked[0]["showlegend"] is True


def test_no_bar_is_marked_for_a_kind_whose_trials_do_not_tell_nor_for_a_kind_with_one_setting(figure):
    marked = [label for trace in _marked(figure) for label in trace["y"]]

    assert marked == ["C of support vector machine"], "neither nearest neighbours' settings nor logistic regression's C"


def test_the_note_says_what_the_mark_means_and_that_a_marked_bar_can_be_short(figure):
    assert figure["note"] == ("Marked: for each kind of model whose trials make it clear, the one of its settings "
                              "that mattered most (C of support vector machine). A setting plays a part only in the "
                              "trials of its own kind of model, so a marked bar can be short.")


def test_the_marked_bar_keeps_its_place_among_the_bars_by_importance(figure):
    axis = figure["layout"]["yaxis"]

    assert axis["categoryorder"] == "array"
    assert axis["categoryarray"][-3:] == ["C of logistic regression",
                                          "C of support vector machine", "kind of model"]


def test_the_note_names_a_lead_whose_bar_is_past_the_ones_shown_and_says_so(owner):
    study = make_study(owner, space=auto_search_space("auto", "classification"),
                       objective=OBJECTIVE | {"estimator": "auto"})
    scores = {name: 1 / (i + 1) for i, name in enumerate(study.search_space)}  # in the space's order: mlp's last

    figure = plots.importance_bars(scores, control_words(study), leads=["mlp__alpha"])

    assert "(alpha of neural network, not among the bars shown)" in figure["note"]
    assert len(figure["traces"]) == 1, "no bar of its colour, and no legend for it"
