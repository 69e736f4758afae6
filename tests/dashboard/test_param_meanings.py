"""The study page says what a built-in model's parameters do; your own code's parameters are yours to name."""

import pytest

from studies.models import Study
from studies.objectives import MEANINGS_BY_NAME, auto_search_space, default_search_space

pytestmark = pytest.mark.django_db


def _study(owner, objective, space):
    return Study.objects.create(owner=owner, name="s", directions=["maximize"], search_space=space,
                                sampler={"name": "random"}, objective=objective, seed=1, n_trials=10)


@pytest.mark.parametrize("estimator", ["random_forest", "hist_gradient_boosting", "svm", "knn", "mlp",
                                       "logistic_regression", "extra_trees"])
def test_every_parameter_of_a_built_in_classifiers_space_has_a_meaning(estimator):
    space = default_search_space(estimator, "classification")

    missing = [name for name in space if name not in MEANINGS_BY_NAME]

    assert missing == []


@pytest.mark.parametrize("estimator", ["ridge", "elastic_net", "svm"])
def test_every_parameter_of_a_built_in_regressors_space_has_a_meaning(estimator):
    space = default_search_space(estimator, "regression")

    assert [name for name in space if name not in MEANINGS_BY_NAME] == []


def test_the_page_of_a_built_in_model_says_what_its_settings_mean(site, owner):
    objective = {"kind": "sklearn", "estimator": "random_forest", "dataset": "iris", "metric": "accuracy", "cv": 3}
    study = _study(owner, objective, default_search_space("random_forest", "classification"))

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "What these settings mean" in page
    assert "the fewest rows each final group of a tree must hold" in page


def test_an_auto_studys_settings_are_named_with_their_kind_of_model(site, owner):
    objective = {"kind": "sklearn", "estimator": "auto", "dataset": "iris", "metric": "accuracy", "cv": 3}
    study = _study(owner, objective, auto_search_space("auto", "classification"))

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert ('<dt title="knn__n_neighbors">n_neighbors of nearest neighbours</dt>'
            "<dd>how many of the most similar rows") in page
    assert '<dt title="estimator">the kind of model</dt>' in page


def test_your_own_codes_parameters_get_no_meaning_from_tuner(site, owner):
    study = _study(owner, {"kind": "external"}, {"C": {"type": "float", "low": 0.1, "high": 1.0}})

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert "What these settings mean" not in page


def test_the_report_of_a_built_in_model_says_what_its_settings_mean(site, owner):
    objective = {"kind": "sklearn", "estimator": "knn", "dataset": "iris", "metric": "accuracy", "cv": 3}
    study = _study(owner, objective, default_search_space("knn", "classification"))

    report = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert "<dt>n_neighbors</dt><dd>how many of the most similar rows are asked for the answer</dd>" in report
