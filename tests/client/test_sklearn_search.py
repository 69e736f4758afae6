"""TunerSearchCV against the real server (pytest-django's live_server): scikit-learn's search API,
with the trials asked and told on a Tuner study."""

import numpy as np
import pytest
import tuner_client
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from tuner_client.sklearn import TunerSearchCV

from studies.models import Study, Trial

pytestmark = pytest.mark.django_db(transaction=True)

SPACE = {
    "C": {"type": "float", "low": 0.001, "high": 100.0, "log": True},
    "fit_intercept": {"type": "categorical", "choices": [True, False]},
}


@pytest.fixture
def iris():
    return load_iris(return_X_y=True)


@pytest.fixture
def search(server, token):
    def make(estimator=None, search_space=SPACE, **options):
        settings = {"n_trials": 8, "n_jobs": 2, "cv": 3, "random_state": 0, "sampler": "random", **options}
        return TunerSearchCV(estimator or LogisticRegression(max_iter=500), search_space, url=server, token=token,
                             **settings)

    return make


@pytest.fixture
def connect_study(server, token):
    return lambda study_id: tuner_client.Study(server, study_id=study_id, token=token)


def _trials(study_id):
    return list(Trial.objects.filter(study_id=study_id).order_by("number"))


class Fragile(ClassifierMixin, BaseEstimator):
    """Predicts the most frequent class, or fails to fit when told to break."""

    def __init__(self, broken=False):
        self.broken = broken

    def fit(self, X, y):
        if self.broken:
            raise RuntimeError("this model was told to break")
        self.model_ = DummyClassifier().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)


def test_cv_results_hold_the_trials_the_server_recorded(search, iris):
    fitted = search().fit(*iris)

    trials = _trials(fitted.study_id_)
    results = fitted.cv_results_
    assert [trial.number for trial in trials] == list(results["trial_number"]) == list(range(8))
    assert [trial.params for trial in trials] == results["params"]
    assert [trial.state for trial in trials] == ["complete"] * 8
    assert [trial.value for trial in trials] == list(results["mean_test_score"])


def test_the_study_is_created_to_maximize_with_the_space_sampler_seed_and_budget(search, iris):
    fitted = search(study_name="iris logistic").fit(*iris)

    study = Study.objects.get(pk=fitted.study_id_)
    assert (study.name, study.directions, study.objective) == ("iris logistic", ["maximize"], {"kind": "external"})
    assert set(study.search_space) == {"C", "fit_intercept"}
    assert (study.sampler["name"], study.seed, study.n_trials, study.state) == ("random", 0, 8, "completed")


def test_best_params_are_the_servers_best_trial(search, iris, connect_study):
    fitted = search().fit(*iris)

    best = connect_study(fitted.study_id_).info()["best_trial"]
    assert fitted.best_params_ == best["params"]
    assert fitted.best_score_ == best["value"]
    assert fitted.cv_results_["trial_number"][fitted.best_index_] == best["number"]


def test_on_a_grid_the_scores_and_ranks_are_grid_search_cvs(search, iris):
    depths = [1, 2, 3, 4]
    tree = DecisionTreeClassifier(random_state=0)
    grid = GridSearchCV(tree, {"max_depth": depths}, cv=3).fit(*iris)
    space = {"max_depth": {"type": "categorical", "choices": depths}}

    tuned = search(tree, space, sampler="grid", n_trials=4).fit(*iris)

    theirs = {params["max_depth"]: i for i, params in enumerate(grid.cv_results_["params"])}
    order = [theirs[params["max_depth"]] for params in tuned.cv_results_["params"]]
    for key in ("mean_test_score", "std_test_score", "split0_test_score", "split2_test_score", "rank_test_score"):
        assert np.array_equal(tuned.cv_results_[key], grid.cv_results_[key][order]), key
    # On a tie both pick the first best, each in its own order (the trials' or the grid's).
    assert tuned.best_score_ == grid.best_score_
    assert grid.cv_results_["rank_test_score"][theirs[tuned.best_params_["max_depth"]]] == 1


def test_cv_results_have_scikit_learns_keys_and_consistent_ranks(search, iris):
    results = search(return_train_score=True).fit(*iris).cv_results_

    for key in ("mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time", "split0_test_score",
                "split2_test_score", "std_test_score", "split1_train_score", "mean_train_score"):
        assert len(results[key]) == 8, key
    split_mean = np.mean([results[f"split{i}_test_score"] for i in range(3)], axis=0)
    assert np.allclose(split_mean, results["mean_test_score"])
    means, ranks = results["mean_test_score"], results["rank_test_score"]
    assert ranks.min() == 1 and all(ranks[i] < ranks[j] for i in range(8) for j in range(8) if means[i] > means[j])
    assert isinstance(results["param_C"], np.ma.MaskedArray)
    assert list(results["param_C"]) == [params["C"] for params in results["params"]]


def test_a_conditional_parameter_is_masked_where_a_trial_lacks_it(search, iris):
    space = {
        "criterion": {"type": "categorical", "choices": ["gini", "entropy"]},
        "max_depth": {"type": "int", "low": 1, "high": 5, "condition": {"criterion": ["gini"]}},
    }

    results = search(DecisionTreeClassifier(random_state=0), space, n_trials=6).fit(*iris).cv_results_

    has_depth = ["max_depth" in params for params in results["params"]]
    assert list(~results["param_max_depth"].mask) == has_depth
    assert 0 < sum(has_depth) < 6, "the seed gives both kinds of trial"


def test_the_best_estimator_is_refitted_and_the_search_delegates_to_it(search, iris):
    X, y = iris

    fitted = search().fit(X, y)

    assert fitted.best_estimator_.get_params()["C"] == fitted.best_params_["C"]
    assert (fitted.predict(X) == fitted.best_estimator_.predict(X)).all()
    assert fitted.predict_proba(X).shape == (150, 3)
    assert fitted.score(X, y) == fitted.best_estimator_.score(X, y)
    assert list(fitted.classes_) == [0, 1, 2] and fitted.refit_time_ > 0 and fitted.n_splits_ == 3


def test_a_pipeline_is_tuned_by_its_steps_parameters(search):
    X, y = load_breast_cancer(return_X_y=True)
    pipeline = make_pipeline(StandardScaler(), SVC())
    space = {"svc__C": {"type": "float", "low": 0.001, "high": 1000.0, "log": True},
             "svc__kernel": {"type": "categorical", "choices": ["rbf", "linear"]}}

    fitted = search(pipeline, space, n_trials=4, scoring="roc_auc").fit(X, y)

    assert [trial.value for trial in _trials(fitted.study_id_)] == list(fitted.cv_results_["mean_test_score"])
    assert fitted.best_estimator_.named_steps["svc"].C == fitted.best_params_["svc__C"]
    assert (fitted.decision_function(X) == fitted.best_estimator_.decision_function(X)).all()
    assert not hasattr(fitted, "predict_proba"), "an SVC without probability=True has none"


def test_scoring_names_a_scikit_learn_scorer_and_neg_scores_are_maximized(search, iris):
    fitted = search(scoring="neg_log_loss").fit(*iris)

    values = [trial.value for trial in _trials(fitted.study_id_)]
    assert all(value < 0 for value in values)
    assert fitted.best_score_ == max(values)


def test_a_failing_fit_with_a_numeric_error_score_fails_its_trial_and_the_search_goes_on(search, iris):
    space = {"broken": {"type": "categorical", "choices": [False, True]}}

    fitted = search(Fragile(), space, sampler="grid", n_trials=2, error_score=0.0).fit(*iris)

    trials = {trial.params["broken"]: trial for trial in _trials(fitted.study_id_)}
    assert trials[False].state == "complete"
    assert trials[True].state == "failed" and "this model was told to break" in trials[True].error
    failed = fitted.cv_results_["params"].index({"broken": True})
    assert [fitted.cv_results_[f"split{i}_test_score"][failed] for i in range(3)] == [0.0, 0.0, 0.0]
    assert fitted.best_params_ == {"broken": False}


def test_error_score_raise_fails_the_trial_and_raises_the_fits_error(search, iris, make_study, connect_study):
    study_id = make_study(search_space={"broken": {"type": "categorical", "choices": [True]}})

    with pytest.raises(RuntimeError, match="told to break"):
        search(Fragile(), None, study=study_id, n_trials=1, error_score="raise").fit(*iris)

    (trial,) = _trials(study_id)
    assert trial.state == "failed" and "RuntimeError: this model was told to break" in trial.error


def test_when_every_trial_fails_fit_says_so(search, iris):
    space = {"broken": {"type": "categorical", "choices": [True]}}

    with pytest.raises(ValueError, match="no trial completed.*told to break"):
        search(Fragile(), space, n_trials=2, n_jobs=1).fit(*iris)


def test_study_continues_an_existing_study(search, iris, make_study):
    study_id = make_study(search_space=SPACE, budget={"n_trials": 10})

    first = search(None, None, study=study_id, n_trials=3).fit(*iris)
    second = search(None, None, study=study_id, n_trials=3).fit(*iris)

    assert list(first.cv_results_["trial_number"]) == [0, 1, 2]
    assert list(second.cv_results_["trial_number"]) == [3, 4, 5]
    assert first.study_id_ == second.study_id_ == study_id


def test_a_spent_budget_ends_the_search_early_with_the_servers_reason(search, iris, make_study):
    study_id = make_study(search_space=SPACE, budget={"n_trials": 2})

    fitted = search(None, None, study=study_id, n_trials=5).fit(*iris)

    assert len(fitted.cv_results_["params"]) == 2
    assert "budget" in fitted.stopped_because_


def test_a_bad_search_space_raises_the_servers_message_and_stores_nothing(search, iris):
    space = {"C": {"type": "float", "low": 10.0, "high": 1.0}}

    with pytest.raises(tuner_client.BadRequest, match="search_space"):
        search(search_space=space).fit(*iris)

    assert not Study.objects.exists()


def test_a_parameter_the_estimator_lacks_is_refused_before_anything_is_sent(search, iris):
    with pytest.raises(ValueError, match=r"\['gamma'\].*LogisticRegression"):
        search(search_space={"gamma": {"type": "float", "low": 0.1, "high": 1.0}}).fit(*iris)

    assert not Study.objects.exists()


def test_a_minimizing_study_is_refused(search, iris, make_study):
    study_id = make_study(search_space=SPACE, direction="minimize")

    with pytest.raises(ValueError, match="maximize"):
        search(None, None, study=study_id).fit(*iris)

    assert not Trial.objects.exists()


@pytest.mark.parametrize(
    "setting, match",
    [
        ({"scoring": ["accuracy", "f1_macro"]}, "one score"),
        ({"n_trials": 0}, "n_trials"),
        ({"error_score": "ignore"}, "error_score"),
        ({"n_jobs": 0}, "n_jobs"),
    ],
)
def test_settings_that_cannot_work_are_refused_before_anything_is_sent(search, iris, setting, match):
    with pytest.raises(ValueError, match=match):
        search(**setting).fit(*iris)

    assert not Study.objects.exists()


def test_without_refit_the_best_params_are_known_but_there_is_no_model_to_predict_with(search, iris):
    fitted = search(refit=False, n_trials=2).fit(*iris)

    assert fitted.best_params_ == fitted.cv_results_["params"][fitted.best_index_]
    assert not hasattr(fitted, "best_estimator_")
    with pytest.raises(NotFittedError, match="refit=True"):
        fitted.predict(iris[0])


def test_verbose_prints_a_line_per_trial(search, iris, capsys):
    search(verbose=1, n_trials=2, n_jobs=1).fit(*iris)

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["[TunerSearchCV] trial 0", "[TunerSearchCV] trial 1"]
