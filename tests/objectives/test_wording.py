"""Results in words: one sentence of what the model achieves beside the guess, one of how sure we are."""

import numpy as np
import pytest

from studies.objectives.wording import class_roles, describe_result, format_number


def _say(metric, value, cv_std, base, strategy, target="churn", majority="no", **kwargs):
    return describe_result(metric, value, cv_std, {"value": base, "strategy": strategy}, target, majority, **kwargs)


def test_accuracy_says_right_for_how_many_in_100_against_always_answering_the_majority():
    first, _ = _say("accuracy", 0.773, 0.021, 0.62, "most_frequent", n_folds=5)

    assert first == ("The best model is right for about 77 of every 100 rows (accuracy 0.773); "
                     "always answering 'no' is right for 62.")


def test_accuracy_uses_the_noun_given_for_a_row():
    first = _say("accuracy", 0.773, 0.021, 0.62, "most_frequent", noun="customers")[0]

    assert "77 of every 100 customers" in first


def test_balanced_accuracy_explains_the_per_class_average_and_why_the_guess_scores_half():
    first = _say("balanced_accuracy", 0.712, 0.03, 0.5, "most_frequent")[0]

    assert first == ("Taking each class of 'churn' on its own and averaging, the best model is right for about 71 "
                     "of every 100 rows (balanced accuracy 0.712); always answering 'no' scores 50, since it gets "
                     "one class all right and the others all wrong.")


def test_f1_names_the_class_of_interest_and_what_f1_balances():
    first = _say("f1", 0.64, 0.04, 0.21, "stratified", positive="yes")[0]

    assert first == ("For 'yes', the best model's F1 score is 0.640 (1 is perfect, 0 is none): it balances how many "
                     "of the real 'yes' rows it finds against how many of its 'yes' answers are right; guessing at "
                     "random in the same proportions as the data scores 0.210.")


def test_f1_for_many_classes_says_it_is_averaged_over_them():
    first = _say("f1", 0.9, 0.04, 0.33, "stratified", target="species", majority="setosa")[0]

    assert first.startswith("Averaged over the classes of 'species', the best model's F1 score is 0.900")


def test_roc_auc_says_how_often_a_positive_row_is_ranked_above_another():
    first = _say("roc_auc", 0.861, 0.02, 0.5, "prior", positive="yes")[0]

    assert first.startswith("Given one 'yes' row and one that is not, picked at random, the best model gives the "
                            "'yes' row the higher chance about 86 times in 100 (ROC AUC 0.861)")
    assert first.endswith("; giving every row the same chance of each answer as in the whole table scores 50, "
                          "no better than tossing a coin.")


def test_log_loss_turns_into_the_typical_probability_of_the_right_answer():
    first = _say("log_loss", 0.41, 0.05, 0.66, "prior")[0]

    # exp(-0.41) = 0.664, exp(-0.66) = 0.517
    assert "probability of about 66% on average (log loss 0.410: lower is better and 0 is perfect)" in first
    assert "gives it about 52% (log loss 0.660)" in first


def test_r2_says_the_share_of_the_ups_and_downs_explained():
    first = _say("r2", 0.45, 0.05, -0.001, "mean", target="price", majority=None)[0]

    assert first == ("The best model explains about 45% of the ups and downs of 'price' (R² 0.450, where 1 is "
                     "perfect); always predicting the average explains 0% of them.")


def test_negative_r2_says_worse_than_the_average():
    first = _say("r2", -0.2, 0.05, -0.001, "mean", target="price", majority=None)[0]

    assert first == ("The best model predicts 'price' worse than always predicting its average would (R² -0.200, "
                     "where 0 is the average's score and 1 is perfect).")


def test_rmse_says_how_far_off_predictions_typically_are_with_thousands_separators():
    first = _say("rmse", 412.3, 40.2, 1030.4, "mean", target="price", majority=None)[0]

    assert first == ("Its predictions of 'price' are typically off by 412 (RMSE, which counts big misses more), "
                     "against 1,030 when always predicting the average.")


def test_mae_says_the_average_miss_against_the_median():
    first = _say("mae", 380, 22, 900, "median", target="price", majority=None)[0]

    assert first == ("Its predictions of 'price' are off by 380 on average (MAE), against 900 when always "
                     "predicting the middle value (the median).")


def test_the_spread_is_said_in_the_metric_own_scale():
    assert _say("accuracy", 0.773, 0.021, 0.62, "most_frequent", n_folds=5)[1] == (
        "That is the average of 5 tests on rows the model had not seen, give or take 2 in 100 from one test to the next.")
    assert _say("rmse", 412, 40.2, 1030, "mean", majority=None)[1].endswith("give or take 40.2 from one test to the next.")


def test_a_model_not_clearly_better_than_the_guess_is_said_so():
    sentences = _say("accuracy", 0.63, 0.03, 0.62, "most_frequent")

    assert sentences[2] == ("That is not clearly better than always answering 'no', so the columns may not hold much "
                            "that predicts 'churn'.")


def test_a_model_worse_than_the_guess_is_said_so_for_a_smaller_is_better_metric():
    sentences = _say("rmse", 1100, 30, 1030, "mean", target="price", majority=None)

    assert sentences[2].startswith("That is worse than always predicting the average")


def test_a_clearly_better_model_gets_no_warning():
    assert len(_say("mae", 380, 22, 900, "median", majority=None)) == 2


@pytest.mark.parametrize("metric", ["accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss", "r2", "rmse", "mae"])
def test_every_metric_names_itself_and_the_guess(metric):
    strategy = {"r2": "mean", "rmse": "mean", "mae": "median", "roc_auc": "prior", "log_loss": "prior",
                "f1": "stratified"}.get(metric, "most_frequent")

    first = _say(metric, 0.5, 0.01, 0.3, strategy, positive="yes")[0]

    label = {"r2": "R²", "rmse": "RMSE", "mae": "MAE", "roc_auc": "ROC AUC", "log_loss": "log loss",
             "f1": "F1", "balanced_accuracy": "balanced accuracy"}.get(metric, metric)
    assert label in first


def test_long_labels_are_shortened():
    first = _say("accuracy", 0.8, 0.01, 0.6, "most_frequent", majority="x" * 100)[0]

    assert "'" + "x" * 40 + "…'" in first


@pytest.mark.parametrize("value, text", [(1030.4, "1,030"), (1234567.8, "1,234,568"), (412.0, "412"), (12.345, "12.3"),
                                         (1.0, "1"), (0.012345, "0.0123"), (-2500, "-2,500"), (0, "0")])
def test_numbers_are_formatted_for_people(value, text):
    assert format_number(value) == text


def test_class_roles_give_the_majority_and_the_class_f1_scores():
    assert class_roles(np.array(["yes", "no", "no"], dtype=object)) == {"majority": "no", "positive": "yes"}
    assert class_roles(np.array([2, 0, 1, 2])) == {"majority": 2, "positive": None}
