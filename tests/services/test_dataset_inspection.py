"""What studying a target of an uploaded dataset looks like, found once and kept."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.objectives import CsvError
from studies.services import inspect_dataset_target, upload_dataset

pytestmark = pytest.mark.django_db

TABLE = "id,visits,plan,churn\n" + "".join(f"{i},{i % 7},{'a' if i % 3 else 'b'},{'yes' if i % 9 == 0 else 'no'}\n"
                                           for i in range(45))


def _upload(owner, text=TABLE):
    return upload_dataset(owner, SimpleUploadedFile("churn.csv", text.encode(), "text/csv"))


def test_the_upload_keeps_what_it_found_for_the_guessed_target(owner):
    dataset = _upload(owner)
    os.unlink(dataset.file.path)  # from here on, only what the upload kept can answer

    found = inspect_dataset_target(dataset, "churn")

    assert found["metric"] == "balanced_accuracy"
    assert found["excluded"] == [{"name": "id", "reason": found["excluded"][0]["reason"]}]
    assert found["target_reason"].startswith("'churn' is named like the column to predict")


def test_another_target_is_read_from_the_file(owner):
    dataset = _upload(owner)

    found = inspect_dataset_target(dataset, "plan")

    assert found["task"] == "classification"
    assert found["metric"] == "accuracy"
    assert "target_reason" not in found


def test_a_constant_target_is_refused_naming_the_field(owner):
    dataset = _upload(owner, "x,same\n" + "".join(f"{i},1\n" for i in range(20)))

    with pytest.raises(CsvError) as caught:
        inspect_dataset_target(dataset, "same")

    assert caught.value.field == "objective.target"
