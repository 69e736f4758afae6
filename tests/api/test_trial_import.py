"""POST /api/studies/{id}/trials/import/: a warm start in bulk from JSON, a CSV or another study."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Trial
from studies.services import read

from .helpers import SPACE, ask, create, external_spec, tell

pytestmark = pytest.mark.django_db


def _url(study_id):
    return f"/api/studies/{study_id}/trials/import/"


def _csv(api, study_id, text):
    upload = SimpleUploadedFile("trials.csv", text.encode(), content_type="text/csv")
    return api.post(_url(study_id), {"file": upload}, format="multipart")


def test_json_trials_are_added_as_imported_finished_trials(api):
    study_id = create(api)
    trials = [{"params": {"x": 1.5, "n": 2, "kind": "a"}, "value": 0.4},
              {"params": {"x": -1, "n": 4, "kind": "b"}, "state": "failed"}]

    response = api.post(_url(study_id), {"trials": trials}, format="json")

    assert response.status_code == 201 and response.data == {"imported": 2, "left_out": 0}
    stored = list(Trial.objects.filter(study_id=study_id).values_list("number", "state", "value", "origin"))
    assert stored == [(0, "complete", 0.4, "imported"), (1, "failed", None, "imported")]


def test_each_bad_row_is_named_and_nothing_is_stored(api):
    study_id = create(api)
    trials = [{"params": {"x": 0, "n": 1, "kind": "a"}, "value": 1.0},
              {"params": {"x": 9, "n": 1, "kind": "a"}, "value": 1.0},
              {"params": {"x": 0, "n": 1, "kind": "c"}},
              {"params": {"x": 0, "n": 1, "kind": "a"}, "value": 1.0, "colour": "red"}]

    response = api.post(_url(study_id), {"trials": trials}, format="json")

    assert response.status_code == 400
    assert set(response.data) == {"trials[3]"}  # the shape first: a row with an unknown key
    trials.pop()
    response = api.post(_url(study_id), {"trials": trials}, format="json")
    assert response.status_code == 400
    assert set(response.data) == {"trials[1].params.x", "trials[2].params.kind", "trials[2].value"}
    assert not Trial.objects.filter(study_id=study_id).exists()


def test_a_csv_is_read_one_column_per_parameter_and_a_value_column(api):
    study_id = create(api)

    response = _csv(api, study_id, "x,n,kind,value\n0.5,2,a,1.25\n-2,3,b,0.5\n")

    assert response.status_code == 201 and response.data == {"imported": 2, "left_out": 0}
    params = list(Trial.objects.filter(study_id=study_id).values_list("params", flat=True))
    assert params == [{"x": 0.5, "n": 2, "kind": "a"}, {"x": -2.0, "n": 3, "kind": "b"}]


def test_a_bad_csv_row_is_named_by_its_line_on_file(api):
    study_id = create(api)

    response = _csv(api, study_id, "x,n,kind,value\n0.5,2,a,1.25\n0.5,2,a,lots\n0.5,7,a,1\n")

    assert response.status_code == 400
    assert response.data["file"] == ["row 3: value: 'lots' is not a number"]
    response = _csv(api, study_id, "x,n,kind,value\n0.5,2,a,1.25\n0.5,7,a,1\n")
    assert response.data["file"] == ["row 3: params.n: value 7 is above high (4)"]
    assert not Trial.objects.filter(study_id=study_id).exists()


def test_a_csv_without_a_value_column_is_refused(api):
    study_id = create(api)

    response = _csv(api, study_id, "x,n,kind\n0.5,2,a\n")

    assert response.status_code == 400 and "value" in response.data["file"][0]


def test_trials_of_a_readable_study_that_fit_are_imported(api):
    source_id = create(api)
    trials = [{"params": {"x": x, "n": 1, "kind": "a"}, "value": x} for x in (1.0, 4.5)]
    api.post(_url(source_id), {"trials": trials}, format="json")
    study_id = create(api, search_space={**SPACE, "x": {"type": "float", "low": -2.0, "high": 2.0}})

    response = api.post(_url(study_id), {"from_study": source_id}, format="json")

    assert response.status_code == 201 and response.data == {"imported": 1, "left_out": 0}
    assert list(Trial.objects.filter(study_id=study_id).values_list("value", flat=True)) == [1.0]


def test_a_study_the_user_cannot_see_is_refused_on_from_study(api, outsider_api):
    hidden = create(outsider_api)
    study_id = create(api)

    response = api.post(_url(study_id), {"from_study": hidden}, format="json")

    assert response.status_code == 400 and "from_study" in response.data


def test_a_study_of_the_other_direction_is_refused(api):
    source_id = create(api, direction="maximize")
    study_id = create(api)

    response = api.post(_url(study_id), {"from_study": source_id}, format="json")

    assert response.status_code == 400 and "optimises maximize" in response.data["from_study"][0]


def test_more_trials_than_the_budget_leaves_room_for_are_refused(api):
    study_id = create(api, budget={"n_trials": 1})
    trials = [{"params": {"x": 0, "n": 1, "kind": "a"}, "value": v} for v in (1.0, 2.0)]

    response = api.post(_url(study_id), {"trials": trials}, format="json")

    assert response.status_code == 409 and "room for 1 more" in response.data["detail"]
    assert not Trial.objects.filter(study_id=study_id).exists()


def test_only_one_source_at_a_time(api):
    study_id = create(api)

    response = api.post(_url(study_id), {"trials": [], "from_study": study_id}, format="json")

    assert response.status_code == 400


def test_a_viewer_cannot_import(api, outsider_api):
    study_id = create(outsider_api)

    response = api.post(_url(study_id), {"trials": []}, format="json")

    assert response.status_code == 404


def test_the_sampler_reads_imported_trials_as_history(api):
    study_id = create(api, sampler={"name": "tpe", "seed": 0})
    api.post(_url(study_id), {"trials": [{"params": {"x": 0, "n": 1, "kind": "a"}, "value": 2.0}]}, format="json")

    trial = ask(api, study_id)
    tell(api, trial["id"], value=1.0)

    study = Trial.objects.get(pk=trial["id"]).study
    assert [record.number for record in read.trial_records(study)] == [0, 1]
    assert trial["number"] == 1


def test_a_file_that_is_not_a_readable_csv_is_refused_on_file(api):
    study_id = create(api)

    response = _csv(api, study_id, "x,n,kind,value\n" + "a" * 200_000 + ",2,a,1\n")  # over the csv module's cell limit

    assert response.status_code == 400 and "not a CSV" in response.data["file"][0]


def test_a_study_cannot_warm_start_from_itself(api):
    study_id = create(api)

    response = api.post(_url(study_id), {"from_study": study_id}, format="json")

    assert response.status_code == 400 and "its own trials" in response.data["from_study"][0]


def test_a_trial_excluded_from_the_source_is_left_out(api, owner):
    from studies.services import exclusions

    source_id = create(api)
    trials = [{"params": {"x": x, "n": 1, "kind": "a"}, "value": x} for x in (1.0, 2.0)]
    api.post(_url(source_id), {"trials": trials}, format="json")
    exclusions.exclude_trial(Trial.objects.get(study_id=source_id, number=0).pk, "a bad GPU", owner)
    study_id = create(api)

    response = api.post(_url(study_id), {"from_study": source_id}, format="json")

    assert response.data == {"imported": 1, "left_out": 0}
    assert list(Trial.objects.filter(study_id=study_id).values_list("value", flat=True)) == [2.0]


def test_json_trials_keep_their_attrs(api):
    study_id = create(api)
    trials = [{"params": {"x": 0, "n": 1, "kind": "a"}, "value": 1.0, "attrs": {"commit": "3f2a1c9"}}]

    response = api.post(_url(study_id), {"trials": trials}, format="json")

    assert response.status_code == 201
    assert Trial.objects.get(study_id=study_id).attrs == {"commit": "3f2a1c9"}


def test_json_trials_keep_their_metrics_and_constraints(api):
    study_id = create(api)
    trials = [{"params": {"x": 0, "n": 1, "kind": "a"}, "value": 1.0, "metrics": {"latency_ms": 12.5},
               "constraints": [0.5, -1]}]

    response = api.post(_url(study_id), {"trials": trials}, format="json")

    assert response.status_code == 201
    stored = Trial.objects.get(study_id=study_id)
    assert (stored.metrics, stored.constraints, stored.feasible) == ({"latency_ms": 12.5}, [0.5, -1.0], False)


def test_json_constraints_that_are_not_numbers_are_named_and_nothing_is_stored(api):
    study_id = create(api)
    trials = [{"params": {"x": 0, "n": 1, "kind": "a"}, "value": 1.0, "constraints": [0.5]},
              {"params": {"x": 0, "n": 1, "kind": "a"}, "value": 1.0, "constraints": ["high"]}]

    response = api.post(_url(study_id), {"trials": trials}, format="json")

    assert response.status_code == 400 and list(response.data) == ["trials[1].constraints[0]"]
    assert not Trial.objects.filter(study_id=study_id).exists()


def test_a_csv_in_the_export_layout_keeps_params_metrics_and_constraints(api):
    study_id = create(api)
    text = 'params.x,params.n,params.kind,value,metrics.latency_ms,constraints\n0.5,2,a,1.25,12.5,"[-0.5]"\n'

    response = _csv(api, study_id, text)

    assert response.status_code == 201
    stored = Trial.objects.get(study_id=study_id)
    assert (stored.params, stored.metrics, stored.constraints, stored.feasible) == (
        {"x": 0.5, "n": 2, "kind": "a"}, {"latency_ms": 12.5}, [-0.5], True)


def test_a_csv_constraints_cell_that_is_not_a_json_list_is_named_by_its_line(api):
    study_id = create(api)

    response = _csv(api, study_id, "x,n,kind,value,constraints\n0.5,2,a,1.25,high\n")

    assert response.status_code == 400
    assert response.data["file"] == ["row 2: constraints: 'high' is not a JSON list of numbers, e.g. [0.5, -1]"]


def _exported(site, study_id, fmt):
    return b"".join(site.get(f"/studies/{study_id}/export.{fmt}").streaming_content)


def _create(api, **overrides):
    body = external_spec(**overrides)
    if "directions" in overrides:
        del body["direction"]
    response = api.post("/api/studies/", body, format="json")
    assert response.status_code == 201, response.data
    return response.data["id"]


def _study_told(api, values, **overrides):
    study_id = _create(api, **overrides)
    for value in values:
        trial = ask(api, study_id)
        tell(api, trial["id"], **({"values": value} if isinstance(value, list) else {"value": value}))
    return study_id


def test_the_csv_export_of_a_study_warm_starts_another_as_it_is(api, site):
    source = _study_told(api, [1.0, 2.0, 3.0])
    target = create(api)

    response = _csv(api, target, _exported(site, source, "csv").decode())

    assert response.status_code == 201, response.data
    assert response.data == {"imported": 3, "left_out": 0}
    copied = Trial.objects.filter(study_id=target, origin=Trial.Origin.IMPORTED)
    assert sorted((t.value, t.params["kind"]) for t in copied) == sorted(
        (t.value, t.params["kind"]) for t in Trial.objects.filter(study_id=source))


def test_the_json_export_of_a_study_warm_starts_another_as_it_is(api, site):
    source = _study_told(api, [1.0, 2.0])
    target = create(api)

    response = api.post(_url(target), {"trials": json.loads(_exported(site, source, "json"))}, format="json")

    assert response.status_code == 201, response.data
    assert response.data == {"imported": 2, "left_out": 0}


def test_an_export_leaves_out_its_running_and_excluded_trials_and_says_how_many(api, site):
    source = _study_told(api, [1.0, 2.0, 3.0])
    ask(api, source)  # running when exported
    excluded = Trial.objects.get(study_id=source, number=0)
    api.post(f"/api/trials/{excluded.pk}/exclude/", {"reason": "bad data"}, format="json")
    target = create(api)

    response = _csv(api, target, _exported(site, source, "csv").decode())

    assert response.data == {"imported": 2, "left_out": 2}
    assert sorted(Trial.objects.filter(study_id=target).values_list("value", flat=True)) == [2.0, 3.0]


def test_the_csv_export_of_a_study_of_two_objectives_warm_starts_another(api, site):
    two = {"directions": ["minimize", "maximize"]}
    source = _study_told(api, [[1.0, 5.0], [2.0, 6.0]], **two)
    target = _create(api, **two)

    response = _csv(api, target, _exported(site, source, "csv").decode())

    assert response.status_code == 201, response.data
    assert sorted(Trial.objects.filter(study_id=target).values_list("values", flat=True)) == [[1.0, 5.0], [2.0, 6.0]]


def test_a_bad_row_after_a_left_out_one_is_named_by_its_own_line(api):
    study_id = create(api)

    response = _csv(api, study_id, "params.x,params.n,params.kind,value,state\n0.5,2,a,,running\n0.5,2,a,abc,complete\n")

    assert response.status_code == 400
    assert response.data["file"] == ["row 3: value: 'abc' is not a number"]
