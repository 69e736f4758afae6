import numpy as np
import pytest

from studies.objectives import BUNDLED_DATASETS, ObjectiveError, load_bundled


@pytest.mark.parametrize("name", sorted(BUNDLED_DATASETS))
def test_bundled_dataset_shape_matches_its_description(name):
    info = BUNDLED_DATASETS[name]

    X, y = load_bundled(name)

    assert X.shape == (info["n_rows"], info["n_features"])
    assert len(y) == info["n_rows"]


@pytest.mark.parametrize("name", sorted(BUNDLED_DATASETS))
def test_bundled_classification_targets_have_few_classes(name):
    _, y = load_bundled(name)

    few = len(np.unique(y)) <= 10

    assert few == (BUNDLED_DATASETS[name]["task"] == "classification")


def test_unknown_bundled_dataset_raises_on_dataset_field():
    with pytest.raises(ObjectiveError) as info:
        load_bundled("mnist")
    assert info.value.field == "objective.dataset"
