import pytest

from studies.objectives import ObjectiveError, metric_direction


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
