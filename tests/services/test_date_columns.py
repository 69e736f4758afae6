"""A study on a CSV with a column of dates: the upload describes it as dates, the trials learn its
trend over time, and predictions read new dates the same way; a dataset described before Tuner
read dates keeps reading them as categories, as its trials were scored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies import services
from studies.models import Dataset, Trial
from studies.services import InvalidInput, predictions
from studies.services.datasets import dataset_path

from tests.tasks.quick_studies import first_waiting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _prices():
    """A price that rises a unit a week, sold on days none of which repeats: only the trend carries
    over to the days a fold has not seen."""
    lines = ["sold_on,shop,price"]
    for i in range(300):
        day = 18_628 + int(i * 2.4)  # from 2021-01-01
        year, month, date = _ymd(day)
        lines.append(f"{year}-{month:02d}-{date:02d},{'ab'[i % 2]},{day / 7 + (i * 37 % 11 - 5) / 5:.3f}")
    return ("\n".join(lines) + "\n").encode()


def _ymd(day):
    import datetime
    when = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
    return when.year, when.month, when.day


def _uploaded(owner):
    return services.upload_dataset(owner, SimpleUploadedFile("prices.csv", _prices(), "text/csv"))


def _described_before_dates(dataset):
    # What an upload stored before Tuner read dates: the column described as categories.
    columns = [column | {"kind": "categorical"} if column["kind"] == "date" else column for column in dataset.columns]
    Dataset.objects.filter(pk=dataset.pk).update(columns=columns)


def _study(owner, dataset):
    study = services.create_study(owner, {
        "name": "prices", "objective": {"kind": "sklearn", "estimator": "random_forest", "dataset": f"csv:{dataset.pk}",
                                        "target": "price", "metric": "r2", "cv": 5},
        "search_space": {"max_depth": {"type": "int", "low": 8, "high": 10}},
        "budget": {"n_trials": 1, "parallelism": 1},
    })
    services.start_study(study.pk)
    return study


def _score(study):
    services.run_trial(first_waiting(study).pk, worker="w1")
    trial = Trial.objects.get(study=study)
    assert trial.state == "complete", trial.error
    return trial.value


def test_an_upload_describes_a_column_of_dates_as_dates(owner):
    dataset = _uploaded(owner)

    assert [column["kind"] for column in dataset.columns] == ["date", "categorical", "numeric"]


def test_a_study_on_a_column_of_dates_learns_its_trend_over_time(owner):
    study = _study(owner, _uploaded(owner))

    assert _score(study) > 0.9


def test_a_study_on_a_dataset_described_before_dates_were_read_reads_them_as_categories(owner):
    dataset = _uploaded(owner)
    _described_before_dates(dataset)
    study = _study(owner, dataset)

    assert dataset_path(study.objective).dates == frozenset()
    assert _score(study) < 0.1


def test_a_new_file_with_a_value_that_is_not_a_date_is_refused_naming_it(owner, django_capture_on_commit_callbacks):
    study = _study(owner, _uploaded(owner))
    _score(study)
    rows = SimpleUploadedFile("new.csv", b"sold_on,shop\n2022-05-01,a\n1 May,b\n")

    with pytest.raises(InvalidInput) as info:
        predictions.create_prediction(study.pk, owner, rows)

    assert info.value.errors == {"file": [
        "line 3, column 'sold_on': '1 May' is not a date like 2024-03-31, but the model learned 'sold_on' as dates; "
        "fix the value or leave the cell empty"]}


def test_new_rows_for_a_dataset_described_before_dates_were_read_take_any_text_there(
        owner, django_capture_on_commit_callbacks):
    dataset = _uploaded(owner)
    _described_before_dates(dataset)
    study = _study(owner, dataset)
    _score(study)

    with django_capture_on_commit_callbacks():
        prediction = predictions.create_prediction(study.pk, owner, SimpleUploadedFile(
            "new.csv", b"sold_on,shop\n2022-05-01,a\n1 May,b\n"))
    state = predictions.predict_csv(prediction.pk)

    assert state == "ready"


def test_the_wizard_tells_a_dataset_described_before_dates_were_read_to_upload_it_again(owner):
    from django.core.cache import cache

    text = "sold_on,price\n" + "".join(f"2024-01-{1 + i % 9:02d},{i}\n" for i in range(40))
    dataset = services.upload_dataset(owner, SimpleUploadedFile("prices.csv", text.encode(), "text/csv"))
    _described_before_dates(dataset)
    dataset.refresh_from_db()
    cache.clear()  # what the upload kept was found under the new description

    notes = services.inspect_dataset_target(dataset, "price")["notes"]

    assert notes[-1].startswith("'sold_on' holds dates, which Tuner reads as categories in this file, each date a "
                                "value of its own, because it was uploaded before Tuner read dates")

