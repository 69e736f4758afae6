"""Predicting on an uploaded CSV: the worker writes a new file with a prediction (and a
probability per class) for every row, leaves the upload as it was, fails in words, and the
files go with the study."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from sklearn.datasets import load_iris

from studies.models import Prediction
from studies.objectives import refit
from studies.services import predictions, reconcile

from tests.roles import IRIS, add_trials, iris_study, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
IRIS_COLUMNS = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def iris_csv(n_rows=150, extra=True):
    """The iris rows as a CSV with the model's columns, plus an id column the model ignores."""
    X, _ = load_iris(return_X_y=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((["id"] if extra else []) + IRIS_COLUMNS)
    for i, row in enumerate(X[:n_rows]):
        writer.writerow(([f"r{i}"] if extra else []) + [f"{v:g}" for v in row])
    return out.getvalue().encode()


def _upload(study, user, content, django_capture_on_commit_callbacks, name="new rows.csv"):
    with django_capture_on_commit_callbacks():
        return predictions.create_prediction(study.pk, user, SimpleUploadedFile(name, content))


def _rows(prediction):
    prediction.refresh_from_db()
    with prediction.output.open("rb") as handle:
        return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))


def test_the_output_holds_the_input_columns_a_prediction_and_a_probability_per_class(
        iris_study, people, django_capture_on_commit_callbacks):
    prediction = _upload(iris_study, people["viewer"], iris_csv(), django_capture_on_commit_callbacks)

    state = predictions.predict_csv(prediction.pk)

    rows = _rows(prediction)
    assert state == "ready" and prediction.rows == 150 and prediction.probabilities
    assert list(rows[0]) == ["id", *IRIS_COLUMNS, "prediction", "probability_0", "probability_1", "probability_2"]
    assert all(abs(sum(float(row[f"probability_{c}"]) for c in range(3)) - 1) < 1e-4 for row in rows)
    _, y = load_iris(return_X_y=True)
    assert sum(int(row["prediction"]) == label for row, label in zip(rows, y)) > 140


def test_a_model_that_cannot_say_how_sure_it_is_predicts_without_probability_columns(
        people, django_capture_on_commit_callbacks):
    study = make_study(people["owner"], space={"C": {"type": "float", "low": 0.1, "high": 10}},
                       directions=["maximize"], objective=IRIS | {"estimator": "svm"}, state="completed")
    add_trials(study, [("complete", 0.95, {"C": 1.0})])
    prediction = _upload(study, people["owner"], iris_csv(), django_capture_on_commit_callbacks)

    state = predictions.predict_csv(prediction.pk)

    rows = _rows(prediction)
    assert state == "ready" and not prediction.probabilities
    assert list(rows[0]) == ["id", *IRIS_COLUMNS, "prediction"]


def test_the_uploaded_file_is_left_as_it_was(iris_study, people, django_capture_on_commit_callbacks):
    content = iris_csv(20)
    prediction = _upload(iris_study, people["owner"], content, django_capture_on_commit_callbacks)

    predictions.predict_csv(prediction.pk)

    with prediction.input.open("rb") as handle:
        assert handle.read() == content


def test_the_download_is_named_after_the_upload(iris_study, people, django_capture_on_commit_callbacks):
    prediction = _upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks)
    predictions.predict_csv(prediction.pk)
    prediction.refresh_from_db()

    handle, filename = predictions.prediction_file(prediction)
    handle.close()

    assert filename == "new rows-predictions.csv"


def test_a_failing_refit_marks_the_prediction_failed_with_the_reason(iris_study, people, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    def explode(spec, params, dataset_path=None):
        raise MemoryError()
    monkeypatch.setattr(refit, "refit", explode)
    prediction = _upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks)

    state = predictions.predict_csv(prediction.pk)

    prediction.refresh_from_db()
    assert state == "failed" and prediction.error == "predicting failed: MemoryError: "
    assert not prediction.output


def test_deleting_the_study_deletes_the_files(iris_study, people, tmp_path, django_capture_on_commit_callbacks):
    prediction = _upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks)
    predictions.predict_csv(prediction.pk)
    prediction.refresh_from_db()
    files = [tmp_path / prediction.input.name, tmp_path / prediction.output.name]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        iris_study.delete()

    assert not any(path.exists() for path in files)


def test_a_user_keeps_their_latest_predictions_of_a_study(iris_study, people, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    monkeypatch.setattr(predictions, "KEEP_PER_STUDY", 2)
    made = []
    for _ in range(3):
        made.append(_upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks))
        predictions.predict_csv(made[-1].pk)

    _upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks)

    kept = set(Prediction.objects.filter(state="ready").values_list("pk", flat=True))
    assert kept == {made[1].pk, made[2].pk}


def test_the_reconciler_resends_a_lost_message_and_fails_a_lost_worker(iris_study, people, settings,
                                                                       django_capture_on_commit_callbacks):
    long_ago = timezone.now() - timedelta(seconds=settings.TUNER_TRIAL_HARD_TIME_LIMIT_S + 3600)
    queued = _upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks)
    running = _upload(iris_study, people["owner"], iris_csv(5), django_capture_on_commit_callbacks)
    Prediction.objects.filter(pk=queued.pk).update(sent_at=long_ago)
    Prediction.objects.filter(pk=running.pk).update(state="running", started_at=long_ago)

    with django_capture_on_commit_callbacks(execute=False) as sent:
        done = reconcile()

    running.refresh_from_db()
    assert done["jobs_resent"] == 1 and done["jobs_failed"] == 1 and len(sent) == 1
    assert running.state == "failed" and "upload the file again" in running.error


def test_a_cell_a_spreadsheet_would_run_is_neutralised_in_the_output(iris_study, people,
                                                                   django_capture_on_commit_callbacks):
    content = iris_csv(2).replace(b"r0,", b"=HYPERLINK(\"http://x\"),", 1)
    prediction = _upload(iris_study, people["owner"], content, django_capture_on_commit_callbacks)

    predictions.predict_csv(prediction.pk)

    assert _rows(prediction)[0]["id"] == "'=HYPERLINK(\"http://x\")"
