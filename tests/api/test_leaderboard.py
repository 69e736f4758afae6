"""GET /api/studies/{id}/leaderboard/: the best trial of each model family with its CV figures,
the ensemble once evaluated, and the baseline; and the study's baseline and summary in words."""

import pytest

from studies import services
from studies.models import Baseline, Trial


from tests.results import run_to_the_end
from tests.roles import IRIS, api_client, join_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def auto_study(owner):
    return run_to_the_end(owner)


def _best_of(study, family):
    trials = Trial.objects.filter(study=study, state="complete", params__estimator=family)
    return max(trials, key=lambda trial: (trial.value, -trial.number))


def test_the_leaderboard_lists_each_familys_best_trial_best_first(api, auto_study):
    response = api.get(f"/api/studies/{auto_study.pk}/leaderboard/")

    assert response.status_code == 200
    families = response.json()["families"]
    assert sorted(f["estimator"] for f in families) == ["knn", "logistic_regression"]
    assert families[0]["best_value"] >= families[1]["best_value"]
    for family in families:
        best = _best_of(auto_study, family["estimator"])
        assert family == {"estimator": family["estimator"], "best_value": best.value,
                          "cv_mean": best.details["cv_mean"], "cv_std": best.details["cv_std"],
                          "fit_time_s": best.details["fit_time_s"], "trial": best.number,
                          "n_trials": Trial.objects.filter(study=auto_study, state="complete",
                                                           params__estimator=family["estimator"]).count()}


def test_the_leaderboard_has_no_ensemble_and_no_baseline_until_workers_computed_them(api, auto_study):
    body = api.get(f"/api/studies/{auto_study.pk}/leaderboard/").json()

    assert body["ensemble"] is None and body["baseline"] is None


def test_the_leaderboard_shows_the_evaluated_ensemble_and_the_baseline(api, auto_study):
    services.evaluate_ensemble(auto_study.ensemble.pk)
    services.compute_baseline(Baseline.objects.get().pk)

    body = api.get(f"/api/studies/{auto_study.pk}/leaderboard/").json()

    assert set(body["ensemble"]) == {"members", "value", "cv_mean", "cv_std", "fit_time_s", "best_trial",
                                     "best_value", "beats"}
    assert body["ensemble"]["members"] == [family["trial"] for family in body["families"]]
    assert body["baseline"]["strategy"] == "most_frequent" and 0.3 < body["baseline"]["value"] < 0.4


def test_a_viewer_sees_the_leaderboard_and_an_outsider_gets_404(auto_study, django_user_model, outsider_api):
    viewer = django_user_model.objects.create_user("vera", password="pass-vera-123")
    join_as(auto_study.pk, "vera", "viewer")

    seen = api_client(viewer).get(f"/api/studies/{auto_study.pk}/leaderboard/")
    hidden = outsider_api.get(f"/api/studies/{auto_study.pk}/leaderboard/")

    assert seen.status_code == 200 and len(seen.json()["families"]) == 2
    assert hidden.status_code == 404


def test_a_study_without_a_built_in_model_has_an_empty_leaderboard(api, owner):
    study = services.create_study(owner, {
        "name": "ask/tell", "direction": "minimize", "objective": {"kind": "external"},
        "search_space": {"x": {"type": "float", "low": 0, "high": 1}}})

    body = api.get(f"/api/studies/{study.pk}/leaderboard/").json()

    assert body == {"families": [], "ensemble": None, "baseline": None}


def test_the_study_shows_its_baseline_and_its_result_in_words(api, owner):
    study = run_to_the_end(owner, objective=IRIS, n_trials=2)
    services.compute_baseline(Baseline.objects.get().pk)
    best = max(Trial.objects.filter(study=study, state="complete"), key=lambda trial: trial.value)

    body = api.get(f"/api/studies/{study.pk}/").json()

    assert body["baseline"]["strategy"] == "most_frequent"
    assert body["summary"][0] == "The model predicts the column 'target' from the other columns of iris."
    assert body["summary"][1].startswith(f"The best model is right for about {round(100 * best.value)} of every "
                                         f"100 rows (accuracy {best.value:.3f}); always answering '0' is right for")
    assert body["summary"][2].startswith("That is the average of 3 tests on rows the model had not seen")


def test_a_study_whose_baseline_is_not_ready_has_no_baseline_and_no_summary_yet(api, owner):
    study = run_to_the_end(owner, objective=IRIS, n_trials=1)

    body = api.get(f"/api/studies/{study.pk}/").json()

    assert body["baseline"] is None and body["summary"] == []


def test_the_schema_documents_the_leaderboard(api):
    paths = api.get("/api/schema/?format=json").json()["paths"]

    assert "/api/studies/{id}/leaderboard/" in paths

