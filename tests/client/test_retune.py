"""Study.retune and upload_dataset against the real server: a built-in model's study tuned again
on a new CSV from code, its best settings first; refused data raises with the server's words."""

import pytest
import tuner_client

from studies.models import Dataset, Study, Trial
from tests.roles import add_trials

pytestmark = pytest.mark.django_db(transaction=True)

SPACE = {"n_estimators": {"type": "int", "low": 10, "high": 50},
         "max_depth": {"type": "int", "low": 2, "high": 8}}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _write_csv(path, n_rows=60, target="churned"):
    lines = [f"age,plan,monthly,{target}"]
    lines += [f"{20 + i % 50},{'basic' if i % 3 else 'pro'},{10 + i % 7}.5,{'yes' if i % 4 == 0 else 'no'}"
              for i in range(n_rows)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


@pytest.fixture
def earlier(server, token, tmp_path):
    """A finished forest study on a churn CSV, made from code: trial #3 best, then #1, then #4."""
    data = tuner_client.upload_dataset(_write_csv(tmp_path / "churn.csv"), server, token)
    spec = {"name": "Churn", "objective": {"kind": "sklearn", "estimator": "random_forest",
                                           "dataset": data["reference"], "target": "churned", "cv": 3},
            "search_space": SPACE, "budget": {"n_trials": 6, "parallelism": 1}}
    study = tuner_client.Study.create(spec, server, token)
    stored = Study.objects.get(pk=study.id)
    scores = [0.70, 0.80, 0.60, 0.90, 0.75, 0.65]
    add_trials(stored, [("complete", score, {"n_estimators": 10 + i, "max_depth": 2 + i})
                        for i, score in enumerate(scores)])
    Study.objects.filter(pk=study.id).update(state="completed")
    return study


def test_upload_dataset_returns_the_reference_a_study_objective_takes(server, token, tmp_path):
    path = _write_csv(tmp_path / "churn.csv", n_rows=40)

    data = tuner_client.upload_dataset(path, server, token)

    assert data["reference"] == f"csv:{data['id']}"
    assert (data["n_rows"], data["suggested_target"]) == (40, "churned")


def test_upload_dataset_of_a_file_that_is_no_table_raises_bad_request_naming_the_file(server, token, tmp_path):
    path = tmp_path / "model.bin"
    path.write_bytes(b"\x00\x01\x02\x89PNG" * 50)

    with pytest.raises(tuner_client.BadRequest, match="file"):
        tuner_client.upload_dataset(str(path), server, token)

    assert not Dataset.objects.exists()


def test_retune_with_a_csv_path_uploads_it_and_returns_the_new_running_study(earlier, tmp_path):
    path = _write_csv(tmp_path / "churn-december.csv", n_rows=80)

    again = earlier.retune(path)

    info = again.info()
    assert again.id != earlier.id and info["retuned_from"] == earlier.id
    assert (info["name"], info["state"]) == ("Churn (new data)", "running")
    new_data = Dataset.objects.get(pk=int(info["objective"]["dataset"].split(":")[1]))
    assert new_data.n_rows == 80


def test_retune_runs_the_earlier_best_settings_first(earlier, tmp_path):
    again = earlier.retune(_write_csv(tmp_path / "churn-december.csv", n_rows=80))

    first = Trial.objects.filter(study_id=again.id).order_by("number")[:3]

    assert [trial.params for trial in first] == [{"n_estimators": 13, "max_depth": 5},
                                                  {"n_estimators": 11, "max_depth": 3},
                                                  {"n_estimators": 14, "max_depth": 6}]


def test_retune_with_a_dataset_reference_uses_it_without_uploading_again(earlier, server, token, tmp_path):
    uploaded = tuner_client.upload_dataset(_write_csv(tmp_path / "churn-december.csv", n_rows=80), server, token)

    again = earlier.retune(uploaded["reference"])

    assert again.info()["objective"]["dataset"] == uploaded["reference"]
    assert Dataset.objects.count() == 2


def test_retune_keeps_the_studys_client_options(earlier, tmp_path):
    earlier.worker, earlier.transport.timeout_s = "lab-3", 7.0

    again = earlier.retune(_write_csv(tmp_path / "churn-december.csv"))

    assert (again.worker, again.transport.timeout_s, again.transport.url) == ("lab-3", 7.0, earlier.transport.url)


def test_retune_on_data_without_the_target_column_raises_bad_request_naming_dataset(earlier, tmp_path):
    path = _write_csv(tmp_path / "other.csv", target="cancelled")

    with pytest.raises(tuner_client.BadRequest, match="dataset.*churned"):
        earlier.retune(path)

    assert Study.objects.count() == 1


def test_retune_of_a_study_of_own_code_raises_conflict_with_the_servers_reason(server, token, make_study, tmp_path):
    study = tuner_client.Study(server, study_id=make_study(), token=token)

    with pytest.raises(tuner_client.Conflict, match="built-in model on an uploaded CSV"):
        study.retune(_write_csv(tmp_path / "churn.csv"))

    assert Study.objects.count() == 1
