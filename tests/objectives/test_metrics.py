import pytest

from studies.objectives import ObjectiveError, metric_direction
from studies.objectives.metrics import default_metric


@pytest.mark.parametrize(
    "metric, direction",
    [
        ("accuracy", "maximize"),
        ("balanced_accuracy", "maximize"),
        ("f1", "maximize"),
        ("roc_auc", "maximize"),
        ("log_loss", "minimize"),
        ("r2", "maximize"),
        ("rmse", "minimize"),
        ("mae", "minimize"),
    ],
)
def test_metric_direction(metric, direction):
    assert metric_direction(metric) == direction


def test_unknown_metric_direction_raises_on_metric_field():
    with pytest.raises(ObjectiveError) as info:
        metric_direction("auc_pr")
    assert info.value.field == "objective.metric"


def test_default_metric_is_accuracy_for_a_balanced_enough_target():
    metric, reason = default_metric("classification", {"no": 62, "yes": 38})

    assert metric == "accuracy" and reason


def test_default_metric_is_balanced_accuracy_from_eighty_percent_with_the_reason():
    metric, reason = default_metric("classification", {"no": 80, "yes": 20})

    assert metric == "balanced_accuracy"
    assert reason == ("80% of rows are 'no', so a model that always answers 'no' would score 80% accuracy; "
                      "balanced accuracy gives each class equal weight, so it cannot be fooled that way.")


def test_default_metric_counts_the_common_class_among_many():
    assert default_metric("classification", {"a": 85, "b": 5, "c": 5, "d": 5})[0] == "balanced_accuracy"


def test_default_metric_does_not_round_a_near_total_share_to_all():
    assert default_metric("classification", {0: 996, 1: 4})[1].startswith("over 99% of rows are '0'")


def test_default_metric_for_regression_is_r2():
    assert default_metric("regression")[0] == "r2"
