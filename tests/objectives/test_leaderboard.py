import pytest

from studies.objectives.leaderboard import build_leaderboard


def row(number, family, value, state="complete", details=None):
    return {"number": number, "params": {"estimator": family}, "value": value, "state": state, "details": details}


TRIALS = [
    row(0, "knn", 0.80),
    row(1, "svm", 0.90),
    row(2, "knn", 0.85),
    row(3, "svm", 0.70),
    row(4, "mlp", 0.88),
]


def test_maximize_keeps_the_best_trial_of_each_family_best_first():
    board = build_leaderboard(TRIALS, "maximize", "auto")

    assert [(f["estimator"], f["trial"], f["best_value"]) for f in board["families"]] == [
        ("svm", 1, 0.90), ("mlp", 4, 0.88), ("knn", 2, 0.85)
    ]


def test_minimize_keeps_the_lowest_value_of_each_family_lowest_first():
    board = build_leaderboard(TRIALS, "minimize", "auto")

    assert [(f["estimator"], f["trial"]) for f in board["families"]] == [("svm", 3), ("knn", 0), ("mlp", 4)]


def test_only_complete_trials_with_finite_values_count():
    trials = [row(0, "knn", 0.99, state="pruned"), row(1, "knn", 0.5), row(2, "svm", float("nan")),
              row(3, "svm", None, state="failed")]

    board = build_leaderboard(trials, "maximize", "auto")

    assert [(f["estimator"], f["trial"], f["n_trials"]) for f in board["families"]] == [("knn", 1, 1)]


def test_each_row_carries_the_trials_details_and_family_count():
    details = {"cv_mean": 0.9, "cv_std": 0.02, "fit_time_s": 0.3, "fold_scores": [0.88, 0.92]}
    trials = [row(0, "svm", 0.9, details=details), row(1, "svm", 0.8)]

    (svm,) = build_leaderboard(trials, "maximize", "auto")["families"]

    assert svm == {"estimator": "svm", "best_value": 0.9, "cv_mean": 0.9, "cv_std": 0.02, "fit_time_s": 0.3,
                   "trial": 0, "n_trials": 2}


def test_trials_without_details_show_none():
    (knn,) = build_leaderboard([row(0, "knn", 0.8)], "maximize", "auto")["families"]

    assert knn["cv_mean"] is None and knn["cv_std"] is None and knn["fit_time_s"] is None


def test_a_tie_goes_to_the_earlier_trial():
    board = build_leaderboard([row(5, "knn", 0.8), row(2, "knn", 0.8)], "maximize", "auto")

    assert board["families"][0]["trial"] == 2


def test_a_single_estimator_study_has_one_row_named_after_its_estimator():
    trials = [{"number": 0, "params": {"C": 1.0}, "value": 0.9, "state": "complete", "details": None}]

    board = build_leaderboard(trials, "maximize", "svm")

    assert [f["estimator"] for f in board["families"]] == ["svm"]


def test_ensemble_and_baseline_pass_through():
    board = build_leaderboard([], "maximize", "auto", ensemble={"value": 0.9}, baseline={"value": 0.5})

    assert board == {"families": [], "ensemble": {"value": 0.9}, "baseline": {"value": 0.5}}


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        build_leaderboard(TRIALS, "up", "auto")
