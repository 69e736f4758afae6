"""CSV uploads: described on success, refused with a message on a bad file, private to their owner."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Dataset

pytestmark = pytest.mark.django_db

GOOD_CSV = b"age,plan,monthly,churned\n" + b"".join(
    f"{20 + i % 50},{'basic' if i % 3 else 'pro'},{10 + i % 7}.5,{'yes' if i % 4 == 0 else 'no'}\n".encode()
    for i in range(60)
)


def upload(client, content, name="data.csv"):
    return client.post("/api/datasets/", {"file": SimpleUploadedFile(name, content, "text/csv")}, format="multipart")


def test_upload_describes_columns_rows_and_target(api):
    response = upload(api, GOOD_CSV)

    assert response.status_code == 201, response.data
    assert response.data["n_rows"] == 60
    assert [c["name"] for c in response.data["columns"]] == ["age", "plan", "monthly", "churned"]
    kinds = {c["name"]: c["kind"] for c in response.data["columns"]}
    assert kinds["age"] == "numeric" and kinds["plan"] == "categorical"
    assert response.data["reference"] == f"csv:{response.data['id']}"


def test_get_dataset_returns_the_description(api):
    dataset_id = upload(api, GOOD_CSV).data["id"]

    response = api.get(f"/api/datasets/{dataset_id}/")

    assert response.status_code == 200
    assert response.data["suggested_target"] == "churned"


@pytest.mark.parametrize("content", [b"", b"a,b,c\n", b"a,b\n1,2\n3\n", b"a,b\n\xff\xfe,1\n"], ids=[
    "empty", "header_only", "ragged", "invalid_utf8"])
def test_bad_csv_answers_400_and_stores_nothing(api, content):
    response = upload(api, content)

    assert response.status_code == 400
    assert response.data["file"][0]
    assert Dataset.objects.count() == 0


def test_study_on_an_uploaded_csv_is_created_with_its_task(api):
    dataset_id = upload(api, GOOD_CSV).data["id"]

    response = api.post("/api/studies/", {
        "name": "churn",
        "objective": {"kind": "sklearn", "estimator": "logistic_regression", "dataset": f"csv:{dataset_id}",
                      "target": "churned", "cv": 3},
        "budget": {"n_trials": 5},
    }, format="json")

    assert response.status_code == 201, response.data
    assert response.data["objective"]["task"] == "classification"


def test_study_naming_a_missing_column_is_400(api):
    dataset_id = upload(api, GOOD_CSV).data["id"]

    response = api.post("/api/studies/", {
        "name": "churn",
        "objective": {"kind": "sklearn", "estimator": "logistic_regression", "dataset": f"csv:{dataset_id}",
                      "target": "nope"},
        "budget": {"n_trials": 5},
    }, format="json")

    assert response.status_code == 400
    assert "nope" in response.data["objective.target"][0]


def test_another_users_dataset_answers_404_and_cannot_be_used(api, outsider_api):
    dataset_id = upload(api, GOOD_CSV).data["id"]

    fetched = outsider_api.get(f"/api/datasets/{dataset_id}/")
    used = outsider_api.post("/api/studies/", {
        "name": "theft", "objective": {"kind": "sklearn", "estimator": "knn", "dataset": f"csv:{dataset_id}"},
        "budget": {"n_trials": 5},
    }, format="json")

    assert fetched.status_code == 404
    assert used.status_code == 400
    assert "does not exist" in used.data["objective.dataset"][0]


def test_upload_over_the_cap_answers_413_and_stores_nothing(api, settings):
    settings.TUNER_MAX_UPLOAD_BYTES = 1024

    response = upload(api, b"a,b\n" + b"1,2\n" * 2000)

    assert response.status_code == 413
    assert "limit is 1024 bytes" in response.data["detail"]
    assert Dataset.objects.count() == 0


def test_upload_declaring_a_huge_length_is_refused_before_the_body_is_read(api, settings):
    settings.TUNER_MAX_UPLOAD_BYTES = 1024
    body = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\na,b\n1,2\n\r\n--x--\r\n"

    response = api.generic("POST", "/api/datasets/", body, content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH="10000000000")

    assert response.status_code == 413


def test_csv_over_the_row_cap_is_refused(api, settings):
    settings.TUNER_MAX_CSV_ROWS = 10

    response = upload(api, b"a,b\n" + b"1,2\n" * 11)

    assert response.status_code == 400
    assert "rows" in response.data["file"][0]


RARE_CLASS_CSV = b"age,churned\n" + b"".join(f"{20 + i},{'yes' if i < 3 else 'no'}\n".encode() for i in range(60))


def test_a_class_with_fewer_rows_than_folds_is_refused_when_the_study_is_created(api):
    dataset_id = upload(api, RARE_CLASS_CSV).data["id"]

    response = api.post("/api/studies/", {
        "name": "rare", "objective": {"kind": "sklearn", "estimator": "knn", "dataset": f"csv:{dataset_id}", "cv": 5},
    }, format="json")

    assert response.status_code == 400
    assert response.data["objective.cv"] == [
        "class 'yes' has only 3 rows, fewer than the 5 folds (every fold needs one); lower cv or add rows of that class"]


def test_a_class_with_as_many_rows_as_folds_is_accepted(api):
    dataset_id = upload(api, RARE_CLASS_CSV).data["id"]

    response = api.post("/api/studies/", {
        "name": "rare", "objective": {"kind": "sklearn", "estimator": "knn", "dataset": f"csv:{dataset_id}", "cv": 3},
        "budget": {"n_trials": 5},
    }, format="json")

    assert response.status_code == 201, response.data


def test_fewer_regression_rows_than_folds_are_refused_when_the_study_is_created(api):
    dataset_id = upload(api, b"x,price\n" + b"".join(f"{i},{i * 7 % 5}.5\n".encode() for i in range(12))).data["id"]

    response = api.post("/api/studies/", {
        "name": "few", "objective": {"kind": "sklearn", "estimator": "ridge", "dataset": f"csv:{dataset_id}", "cv": 20},
    }, format="json")

    assert response.status_code == 400
    assert response.data["objective.cv"] == ["12 rows cannot be split into 20 folds; lower cv or add rows"]
