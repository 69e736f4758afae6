"""An upload stores its file and its row together or not at all: no file is left without a row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from studies import services
from studies.models import Dataset

pytestmark = pytest.mark.django_db

CSV = b"a,b,target\n" + b"".join(b"%d,%d,%d\n" % (i, i * 2, i % 2) for i in range(20))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_file_whose_row_fails_to_save_is_removed(owner, media, monkeypatch):
    def failing_save(self, *args, **kwargs):
        raise IntegrityError("the row could not be stored")

    monkeypatch.setattr(Dataset, "save", failing_save)

    with pytest.raises(IntegrityError):
        services.upload_dataset(owner, SimpleUploadedFile("d.csv", CSV, "text/csv"))

    assert _files(media) == []


def test_a_row_that_breaks_a_column_rule_is_refused_before_the_file_is_stored(api, media):
    long_target = "t" * 300  # the last column is the suggested target, a varchar(255)
    content = b"a,b," + long_target.encode() + b"\n" + b"".join(b"%d,%d,%d\n" % (i, i, i % 2) for i in range(20))

    response = api.post("/api/datasets/", {"file": SimpleUploadedFile("d.csv", content, "text/csv")},
                        format="multipart")

    assert response.status_code == 400
    assert "255" in str(response.data)
    assert _files(media) == [] and not Dataset.objects.exists()


def test_a_good_upload_keeps_exactly_its_file(api, media):
    response = api.post("/api/datasets/", {"file": SimpleUploadedFile("d.csv", CSV, "text/csv")}, format="multipart")

    assert response.status_code == 201
    assert _files(media) == [media / Dataset.objects.get().file.name]
