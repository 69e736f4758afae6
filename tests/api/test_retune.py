"""POST /api/studies/{id}/retune/: tune a built-in model's study again on a new CSV, its best settings first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Study, Trial
from studies.services import summary
from tests.roles import add_trials, api_client, join_as, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SPACE = {"n_estimators": {"type": "int", "low": 10, "high": 50},
         "max_depth": {"type": "int", "low": 2, "high": 8}}


def _csv(n_rows=60, target="churned", labels=("yes", "no")):
    lines = [f"age,plan,monthly,{target}"]
    lines += [f"{20 + i % 50},{'basic' if i % 3 else 'pro'},{10 + i % 7}.5,{labels[i % 4 == 0]}" for i in range(n_rows)]
    return ("\n".join(lines) + "\n").encode()


def _upload(client, content):
    response = client.post("/api/datasets/", {"file": SimpleUploadedFile("data.csv", content, "text/csv")},
                           format="multipart")
    assert response.status_code == 201, response.data
    return response.data["reference"]


@pytest.fixture
def earlier(people):
    """The owner's finished forest study on a churn CSV: trial #3 best, then #1, then #4."""
    client = api_client(people["owner"])
    spec = {"name": "Churn", "objective": {"kind": "sklearn", "estimator": "random_forest", "dataset": _upload(client, _csv()),
                                          "target": "churned", "cv": 3},
            "search_space": SPACE, "budget": {"n_trials": 6, "parallelism": 1}}
    response = client.post("/api/studies/", spec, format="json")
    assert response.status_code == 201, response.data
    study = Study.objects.get(pk=response.data["id"])
    scores = [0.70, 0.80, 0.60, 0.90, 0.75, 0.65]
    add_trials(study, [("complete", score, {"n_estimators": 10 + i, "max_depth": 2 + i}) for i, score in enumerate(scores)])
    Study.objects.filter(pk=study.pk).update(state="completed")
    return study


def _retune(client, study, dataset):
    return client.post(f"/api/studies/{study.pk}/retune/", {"dataset": dataset}, format="json")


def test_tuning_again_answers_201_with_a_running_study_of_the_same_model_on_the_new_data(people, earlier):
    client = api_client(people["owner"])
    new_data = _upload(client, _csv(80))

    response = _retune(client, earlier, new_data)

    assert response.status_code == 201, response.data
    body = response.data
    assert body["retuned_from"] == earlier.pk and body["state"] == "running" and body["name"] == "Churn (new data)"
    assert body["objective"]["dataset"] == new_data and body["objective"]["estimator"] == "random_forest"
    assert body["search_space"] == earlier.search_space and body["budget"]["n_trials"] == 6


def test_the_earlier_three_best_settings_wait_as_the_first_trials_best_first(people, earlier):
    client = api_client(people["owner"])

    new_id = _retune(client, earlier, _upload(client, _csv(80))).data["id"]

    trials = list(Trial.objects.filter(study_id=new_id).order_by("number"))
    assert [t.params for t in trials] == [{"n_estimators": 13, "max_depth": 5}, {"n_estimators": 11, "max_depth": 3},
                                          {"n_estimators": 14, "max_depth": 6}]
    assert {(t.state, t.origin, t.value) for t in trials} == {("waiting", "manual", None)}


def test_new_data_without_the_target_column_is_400_naming_dataset_and_nothing_is_created(people, earlier):
    client = api_client(people["owner"])

    response = _retune(client, earlier, _upload(client, _csv(target="left")))

    assert response.status_code == 400
    assert response.data["dataset"] == ["the new data has no column 'churned', the column the study predicts; its columns are age, plan, monthly, left"]
    assert Study.objects.count() == 1


def test_a_target_that_reads_as_another_task_is_400_naming_dataset(people, earlier):
    client = api_client(people["owner"])
    numbers = "\n".join(["age,plan,monthly,churned"] + [f"{i},basic,{i}.5,{i * 1.37:.2f}" for i in range(60)]) + "\n"

    response = _retune(client, earlier, _upload(client, numbers.encode()))

    assert response.status_code == 400
    assert response.data["dataset"] == ["in the new data 'churned' reads as regression, but the study predicted it as "
                                        "classification: check that it is the same column"]


@pytest.mark.parametrize("dataset", ["csv:999999", "diabetes", 12, ""])
def test_data_that_is_not_a_csv_of_yours_is_400_naming_dataset(people, earlier, dataset):
    response = _retune(api_client(people["owner"]), earlier, dataset)

    assert response.status_code == 400 and list(response.data) == ["dataset"]


def test_someone_elses_upload_is_refused(people, earlier):
    join_as(earlier.pk, "edgar", "editor")
    theirs = _upload(api_client(people["owner"]), _csv(80))

    response = _retune(api_client(people["editor"]), earlier, theirs)

    assert response.status_code == 400 and list(response.data) == ["dataset"]


def test_an_editor_may_tune_again_and_owns_the_new_study(people, earlier):
    join_as(earlier.pk, "edgar", "editor")
    client = api_client(people["editor"])

    response = _retune(client, earlier, _upload(client, _csv(80)))

    assert response.status_code == 201 and Study.objects.get(pk=response.data["id"]).owner == people["editor"]


def test_a_viewer_may_not_tune_again(people, earlier):
    join_as(earlier.pk, "vera", "viewer")
    client = api_client(people["viewer"])

    response = _retune(client, earlier, _upload(client, _csv(80)))

    assert response.status_code == 403 and Study.objects.count() == 1


def test_a_study_of_your_own_code_is_409_saying_what_can_be_tuned_again(people):
    own_code = make_study(people["owner"])
    client = api_client(people["owner"])

    response = _retune(client, own_code, _upload(client, _csv(80)))

    assert response.status_code == 409 and "built-in model on an uploaded CSV" in response.data["detail"]


def test_a_study_without_a_complete_trial_is_409(people, earlier):
    Trial.objects.filter(study=earlier).update(state="failed", value=None)
    client = api_client(people["owner"])

    response = _retune(client, earlier, _upload(client, _csv(80)))

    assert response.status_code == 409 and "no complete trial" in response.data["detail"]


def _texts(study):
    return {sentence.key: sentence.text for sentence in summary.study_summary(study)}


def test_the_summary_says_how_much_better_tuning_again_did_than_the_earlier_best(people, earlier):
    client = api_client(people["owner"])
    new = Study.objects.get(pk=_retune(client, earlier, _upload(client, _csv(80))).data["id"])
    Trial.objects.filter(study=new).delete()
    add_trials(new, [("complete", 0.70, {"n_estimators": 13, "max_depth": 5}),
                     ("complete", 0.77, {"n_estimators": 30, "max_depth": 4})])

    said = _texts(new)["before"]

    assert said == ("The settings that were best on the earlier data score 0.7 on this data (trial #0); "
                    "the best found by tuning again is 10.0% better than that.")


def test_the_summary_says_when_the_earlier_best_settings_are_still_the_best(people, earlier):
    client = api_client(people["owner"])
    new = Study.objects.get(pk=_retune(client, earlier, _upload(client, _csv(80))).data["id"])
    Trial.objects.filter(study=new).delete()
    add_trials(new, [("complete", 0.80, {"n_estimators": 13, "max_depth": 5}),
                     ("complete", 0.77, {"n_estimators": 30, "max_depth": 4})])

    said = _texts(new)["before"]

    assert said.startswith("The settings that were best on the earlier data (trial #0 here) are still the best")


def test_a_study_made_another_way_has_no_such_sentence(people, earlier):
    assert "before" not in _texts(earlier)
