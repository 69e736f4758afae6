"""Attrs and metrics: what the user's code records beside the value, at report and tell."""

import json

import pytest

from studies.models import Study, Trial, TrialReport

from .helpers import ask, create, tell

pytestmark = pytest.mark.django_db


def report(api, trial_id, **body):
    return api.post(f"/api/trials/{trial_id}/report/", {"step": 0, "value": 0.5, **body}, format="json")


def test_tell_stores_attrs_and_metrics_and_the_trial_shows_them(api):
    trial = ask(api, create(api))

    response = tell(api, trial["id"], value=1.0, attrs={"commit": "abc123", "tags": ["gpu"]},
                    metrics={"train_time_s": 12.5, "model_mb": 3})

    assert response.status_code == 200
    assert response.data["attrs"] == {"commit": "abc123", "tags": ["gpu"]}
    assert response.data["metrics"] == {"train_time_s": 12.5, "model_mb": 3.0}
    shown = api.get(f"/api/trials/{trial['id']}/").data
    assert shown["attrs"]["commit"] == "abc123" and shown["metrics"]["model_mb"] == 3.0


def test_report_and_tell_merge_with_later_keys_winning(api):
    trial = ask(api, create(api))

    report(api, trial["id"], attrs={"commit": "old", "host": "gpu1"}, metrics={"recall": 0.5, "epochs": 1})
    tell(api, trial["id"], value=1.0, attrs={"commit": "new"}, metrics={"recall": 0.9})

    stored = Trial.objects.get(pk=trial["id"])
    assert stored.attrs == {"commit": "new", "host": "gpu1"}
    assert stored.metrics == {"recall": 0.9, "epochs": 1.0}


def test_a_trial_without_attrs_or_metrics_shows_empty_objects(api):
    trial = ask(api, create(api))

    response = tell(api, trial["id"], value=1.0)

    assert (response.data["attrs"], response.data["metrics"]) == ({}, {})


def test_the_study_notes_metric_names_and_attr_keys_first_seen_first(api):
    study_id = create(api)
    first, second = ask(api, study_id), ask(api, study_id)

    tell(api, first["id"], value=1.0, metrics={"b": 1, "a": 2}, attrs={"commit": "x"})
    tell(api, second["id"], value=1.0, metrics={"c": 1, "a": 3})

    study = Study.objects.get(pk=study_id)
    assert study.metric_names == ["b", "a", "c"]
    assert study.attr_names == ["commit"]


@pytest.mark.parametrize("bad,field", [
    ("NaN", "metrics.loss"),
    ("Infinity", "metrics.loss"),
    ("-Infinity", "metrics.loss"),
    ("fast", "metrics.loss"),
    (True, "metrics.loss"),
    (None, "metrics.loss"),
    ([1], "metrics.loss"),
])
def test_a_metric_that_is_not_a_finite_number_is_400_naming_it(api, bad, field):
    trial = ask(api, create(api))

    response = tell(api, trial["id"], value=1.0, metrics={"loss": bad})

    assert response.status_code == 400
    assert field in response.data
    assert Trial.objects.get(pk=trial["id"]).state == "running"


@pytest.mark.parametrize("body,field", [
    ({"attrs": ["not", "an", "object"]}, "attrs"),
    ({"attrs": "text"}, "attrs"),
    ({"attrs": {"k" * 101: 1}}, "attrs"),
    ({"attrs": {f"k{i}": i for i in range(101)}}, "attrs"),
    ({"attrs": {"blob": "x" * (16 * 1024)}}, "attrs"),
    ({"attrs": {" ": 1}}, "attrs"),
    ({"attrs": {'say "hi"': 1}}, "attrs"),
    ({"metrics": {"back\\slash": 1}}, "metrics"),
    ({"metrics": {"line\nfeed": 1}}, "metrics"),
    ({"metrics": [1, 2]}, "metrics"),
    ({"metrics": {"m" * 101: 1}}, "metrics"),
    ({"metrics": {f"m{i}": i for i in range(101)}}, "metrics"),
])
def test_attrs_or_metrics_past_a_cap_or_of_the_wrong_shape_are_400_and_store_nothing(api, body, field):
    trial = ask(api, create(api))

    response = tell(api, trial["id"], value=1.0, **body)

    assert response.status_code == 400
    assert field in response.data
    stored = Trial.objects.get(pk=trial["id"])
    assert (stored.state, stored.attrs, stored.metrics) == ("running", {}, {})


def test_a_report_with_a_bad_metric_is_400_and_stores_neither_the_value_nor_the_metric(api):
    trial = ask(api, create(api))

    response = report(api, trial["id"], metrics={"recall": "Infinity"})

    assert response.status_code == 400
    assert "metrics.recall" in response.data
    assert not TrialReport.objects.filter(trial_id=trial["id"]).exists()
    assert Trial.objects.get(pk=trial["id"]).metrics == {}


def test_merging_past_the_metric_cap_is_400_and_keeps_what_was_stored(api):
    trial = ask(api, create(api))
    report(api, trial["id"], metrics={f"a{i}": i for i in range(60)})

    response = tell(api, trial["id"], value=1.0, metrics={f"b{i}": i for i in range(60)})

    assert response.status_code == 400
    assert "metrics" in response.data
    stored = Trial.objects.get(pk=trial["id"])
    assert stored.state == "running" and len(stored.metrics) == 60


def test_merging_past_the_attrs_size_is_400_and_keeps_what_was_stored(api):
    trial = ask(api, create(api))
    report(api, trial["id"], attrs={"first": "x" * 10_000})

    response = tell(api, trial["id"], value=1.0, attrs={"second": "y" * 10_000})

    assert response.status_code == 400
    assert "attrs" in response.data
    assert list(Trial.objects.get(pk=trial["id"]).attrs) == ["first"]


def test_a_nan_literal_metric_is_refused_as_unreadable_json(api):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/tell/", '{"value": 1, "metrics": {"loss": NaN}}',
                        content_type="application/json")

    assert response.status_code == 400
    assert Trial.objects.get(pk=trial["id"]).metrics == {}


def test_a_10_mb_attrs_object_is_refused_and_stores_nothing(api):
    trial = ask(api, create(api))
    body = json.dumps({"value": 1.0, "attrs": {"blob": "x" * (10 * 1024 * 1024)}})

    response = api.post(f"/api/trials/{trial['id']}/tell/", body, content_type="application/json")

    assert response.status_code in (400, 413)
    assert Trial.objects.get(pk=trial["id"]).state == "running"


def test_a_repeated_tell_keeps_the_first_attrs(api):
    trial = ask(api, create(api))
    tell(api, trial["id"], value=1.0, attrs={"commit": "first"})

    again = tell(api, trial["id"], value=1.0, attrs={"commit": "second"})

    assert again.status_code == 200
    assert Trial.objects.get(pk=trial["id"]).attrs == {"commit": "first"}


@pytest.mark.parametrize("path,body", [
    ("report", '{"step": 0, "value": 1, "metrics": {"big": 1%s}}' % ("0" * 400)),
    ("tell", '{"value": 1%s}' % ("0" * 400)),
])
def test_an_integer_too_wide_for_a_float_is_400_not_a_crash(api, path, body):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/{path}/", body, content_type="application/json")

    assert response.status_code == 400
    assert Trial.objects.get(pk=trial["id"]).state == "running"


def test_ask_takes_attrs_which_later_tells_merge_into(api):
    study_id = create(api)
    response = api.post(f"/api/studies/{study_id}/ask/", {"attrs": {"commit": "abc", "host": "gpu1"}}, format="json")

    tell(api, response.data["id"], value=1.0, attrs={"commit": "def"})

    assert response.status_code == 201
    assert Trial.objects.get(pk=response.data["id"]).attrs == {"commit": "def", "host": "gpu1"}
    assert Study.objects.get(pk=study_id).attr_names == ["commit", "host"]


def test_ask_hands_an_enqueued_trial_with_the_attrs(api):
    study_id = create(api)
    api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 1.0, "n": 2, "kind": "a"}}, format="json")

    response = api.post(f"/api/studies/{study_id}/ask/", {"attrs": {"commit": "abc"}}, format="json")

    assert response.data["params"]["x"] == 1.0
    assert Trial.objects.get(pk=response.data["id"]).attrs == {"commit": "abc"}


@pytest.mark.parametrize("body", [{"attrs": [1]}, {"attrs": {"k" * 101: 1}}, [1, 2]])
def test_ask_with_bad_attrs_is_400_and_hands_out_no_trial(api, body):
    study_id = create(api)

    response = api.post(f"/api/studies/{study_id}/ask/", body, format="json")

    assert response.status_code == 400
    assert not Trial.objects.filter(study_id=study_id).exists()
