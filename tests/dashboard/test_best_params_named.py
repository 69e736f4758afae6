"""The best trial's params as the study page, its live poll and the report name them for people:
where Tuner chose the kind of model, the kind comes first by its name and its params follow
without the kind's prefix, each row keeping the name the API uses for the page's tooltip."""

from types import SimpleNamespace

import pytest
from django.utils.html import strip_tags

from dashboard.header import named_params
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

AUTO_SPACE = {
    "estimator": {"type": "categorical", "choices": ["hist_gradient_boosting", "knn"]},
    "hist_gradient_boosting__learning_rate": {"type": "float", "low": 0.01, "high": 1, "log": True,
                                              "condition": {"estimator": ["hist_gradient_boosting"]}},
    "knn__n_neighbors": {"type": "int", "low": 1, "high": 30, "condition": {"estimator": ["knn"]}},
}
BEST = {"estimator": "hist_gradient_boosting", "hist_gradient_boosting__learning_rate": 0.0196}
AUTO_OBJECTIVE = {"kind": "sklearn", "estimator": ["hist_gradient_boosting", "knn"], "dataset": "iris",
                  "metric": "accuracy", "cv": 3}
CHOOSES = SimpleNamespace(objective=AUTO_OBJECTIVE)
OWN_CODE = SimpleNamespace(objective={"kind": "external"})


@pytest.fixture
def auto_study(owner):
    study = make_study(owner, space=AUTO_SPACE, objective=AUTO_OBJECTIVE, directions=["maximize"])
    add_trials(study, [("complete", 0.5, BEST), ("complete", 0.3, {"estimator": "knn", "knn__n_neighbors": 5})])
    return study


def test_the_kind_of_model_comes_first_by_its_name_and_its_params_lose_the_prefix():
    assert named_params(BEST, CHOOSES) == [["kind of model", "Gradient boosting", "estimator"],
                                           ["learning_rate", 0.0196, "hist_gradient_boosting__learning_rate"]]


def test_params_of_a_study_without_a_choice_of_model_keep_their_names():
    assert named_params({"lr": 0.1, "depth": 3}, OWN_CODE) == [["lr", 0.1, "lr"], ["depth", 3, "depth"]]


def test_a_users_own_estimator_param_beside_unprefixed_params_keeps_its_names():
    assert named_params({"estimator": "svm", "C": 2.0}, OWN_CODE) == [["estimator", "svm", "estimator"],
                                                                      ["C", 2.0, "C"]]


def test_a_users_own_params_named_like_tuner_s_keep_their_names():
    assert named_params({"estimator": "svm", "svm__C": 2.0}, OWN_CODE) == [["estimator", "svm", "estimator"],
                                                                           ["svm__C", 2.0, "svm__C"]]


def test_the_study_page_names_the_best_params_for_people(site, auto_study):
    page = site.get(f"/studies/{auto_study.pk}/").content.decode()

    card = strip_tags(page.split('data-field="best_params">', 1)[1].split("</dl>", 1)[0])
    assert card == "kind of modelGradient boostinglearning_rate0.0196"


def test_the_live_poll_names_the_best_params_as_the_page_does(site, auto_study):
    best = site.get(f"/studies/{auto_study.pk}/live.json").json()["header"]["best"]

    assert best["params"] == [["kind of model", "Gradient boosting", "estimator"],
                              ["learning_rate", 0.0196, "hist_gradient_boosting__learning_rate"]]
