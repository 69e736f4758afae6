"""What if through the API: every role may ask what params would score; bad params are named;
too few trials or several objectives are refused in words; the model is fitted once per state."""

import pytest
from django.core.cache import cache

from studies import engine
from studies.models import Trial
from studies.services import read, surrogates
from tests.roles import (  # noqa: F401 (fixtures)
    IRIS, add_trials, api_client, make_study, people, study,
)

pytestmark = pytest.mark.django_db


def _url(study):
    return f"/api/studies/{study.pk}/predict/"


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("editor", 200), ("viewer", 200), ("stranger", 404)])
def test_every_role_may_ask_and_strangers_do_not_see_the_study(role, status, study, people):
    response = api_client(people[role]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")

    assert response.status_code == status


def test_the_answer_has_an_interval_around_the_mean_and_the_nearest_trial(study, people):
    body = api_client(people["viewer"]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json").json()

    assert body["low"] <= body["mean"] < body["high"]
    assert abs(body["mean"] - 0.0) < 0.2  # trial #5 scored 0 there
    assert body["nearest_trial"] == {"number": 5, "distance": 0.0}
    assert body["n_trials"] == 10


def test_a_value_no_trial_ever_scored_below_zero_is_not_predicted_below_zero(study, people):
    body = api_client(people["viewer"]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json").json()

    assert body["low"] == 0.0 and body["mean"] >= 0.0  # without the floor, about -0.05


def test_an_accuracy_is_never_predicted_above_one(people):
    iris = make_study(people["owner"], space={"C": {"type": "float", "low": 0.01, "high": 100, "log": True}},
                      directions=["maximize"], objective=IRIS)
    add_trials(iris, [("complete", value, {"C": c}) for value, c in
                      [(0.99, 1.0), (0.93, 2.0), (0.985, 3.0), (0.94, 4.0), (0.99, 5.0), (0.95, 6.0)]])

    body = api_client(people["owner"]).post(_url(iris), {"params": {"C": 100.0}}, format="json").json()

    assert body["high"] == 1.0 and body["mean"] <= 1.0


def test_asking_stores_nothing(study, people):
    before = list(Trial.objects.values_list("pk", "revision"))

    api_client(people["viewer"]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")

    assert list(Trial.objects.values_list("pk", "revision")) == before


@pytest.mark.parametrize(("params", "field"), [
    ({"x": 0.5, "y": 0.5, "z": 1}, "params.z"),
    ({"x": 1.5, "y": 0.5}, "params.x"),
    ({"x": "big", "y": 0.5}, "params.x"),
    ({"x": 0.5}, "params.y"),
])
def test_a_bad_value_answers_400_naming_the_parameter(params, field, study, people):
    response = api_client(people["viewer"]).post(_url(study), {"params": params}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_params_that_are_not_an_object_answer_400_on_params(study, people):
    response = api_client(people["viewer"]).post(_url(study), {"params": [0.5, 0.5]}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["params"]


def test_an_inactive_parameter_is_ignored_and_not_required(people):
    space = {"kind": {"type": "categorical", "choices": ["a", "b"]},
             "depth": {"type": "int", "low": 1, "high": 5, "condition": {"kind": ["b"]}}}
    study = make_study(people["owner"], space=space)
    add_trials(study, [("complete", float(i), {"kind": "b", "depth": 1 + i % 5}) for i in range(5)]
               + [("complete", 9.0, {"kind": "a"})])

    response = api_client(people["owner"]).post(_url(study), {"params": {"kind": "a", "depth": 3}}, format="json")

    assert response.status_code == 200
    assert response.json()["params"] == {"kind": "a"}
    assert response.json()["nearest_trial"] == {"number": 5, "distance": 0.0}


def test_too_few_complete_trials_answer_409_with_the_count(people):
    study = make_study(people["owner"])
    add_trials(study, [("complete", 1.0, {"x": i / 10, "y": 0.5}) for i in range(4)])

    response = api_client(people["owner"]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")

    assert response.status_code == 409
    assert "at least 5 complete trials" in response.json()["detail"] and "has 4" in response.json()["detail"]


def test_a_multi_objective_study_answers_400_saying_so(people):
    study = make_study(people["owner"], directions=["minimize", "maximize"])

    response = api_client(people["owner"]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")

    assert response.status_code == 400
    assert "single-objective" in response.json()["detail"]


def test_asking_again_reuses_the_fitted_model(study, people, monkeypatch):
    client = api_client(people["viewer"])
    client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")
    monkeypatch.setattr(engine, "fit_surrogate", lambda *args, **kwargs: pytest.fail("refitted with nothing new"))

    response = client.post(_url(study), {"params": {"x": 0.2, "y": 0.5}}, format="json")

    assert response.status_code == 200


def test_a_trial_that_completes_makes_a_new_model(study, people, monkeypatch):
    client = api_client(people["viewer"])
    client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")
    Trial.objects.filter(study=study, state="running").update(state="complete", value=5.0, revision=99)
    fitted = []
    real = engine.fit_surrogate
    monkeypatch.setattr(engine, "fit_surrogate", lambda *args, **kwargs: fitted.append(1) or real(*args, **kwargs))

    body = client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json").json()

    assert fitted == [1] and body["n_trials"] == 11


def test_a_trial_that_starts_running_keeps_the_model(study, people, monkeypatch):
    client = api_client(people["viewer"])
    client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")
    add_more = Trial.objects.filter(study=study, state="running")
    add_more.update(revision=99)
    monkeypatch.setattr(surrogates, "_fit", lambda *args: pytest.fail("refitted for a running trial"))

    response = client.post(_url(study), {"params": {"x": 0.2, "y": 0.5}}, format="json")

    assert response.status_code == 200


def _model_key(study):
    n_complete, revision = read.complete_revision(study)
    return read.cache_key(study, f"surrogate-{surrogates.MODEL_VERSION}", n_complete, revision)


def test_the_cached_model_holds_no_trial_params_and_its_nearest_trials_are_cached_apart(study, people):
    api_client(people["viewer"]).post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")

    key = _model_key(study)
    assert cache.get(key).nearest is None
    numbers, raws = cache.get(f"{key}-nearest-0")
    assert sorted(numbers) == sorted(Trial.objects.filter(study=study, state="complete").values_list("number", flat=True))
    assert raws.shape == (10, 2)


def test_nearest_trials_gone_from_the_cache_are_read_again_without_a_refit(study, people, monkeypatch):
    client = api_client(people["viewer"])
    first = client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json").json()
    cache.delete(f"{_model_key(study)}-nearest-0")
    monkeypatch.setattr(engine, "fit_surrogate", lambda *args, **kwargs: pytest.fail("refitted with nothing new"))

    again = client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json").json()

    assert again == first and cache.get(f"{_model_key(study)}-nearest-0") is not None


def test_nearest_trials_cached_in_several_slices_give_the_same_answers(study, people, monkeypatch):
    client = api_client(people["viewer"])
    asked = [{"x": 0.5, "y": 0.5}, {"x": 0.1, "y": 0.9}, {"x": 0.93, "y": 0.02}]
    whole = [client.post(_url(study), {"params": p}, format="json").json() for p in asked]
    cache.clear()
    monkeypatch.setattr(surrogates, "NEAREST_SLICE", 3)

    sliced = [client.post(_url(study), {"params": p}, format="json").json() for p in asked]

    assert sliced == whole and cache.get(f"{_model_key(study)}-nearest-3") is not None


def test_trials_that_go_while_a_prediction_is_answered_give_409_not_an_error(study, people, monkeypatch):
    client = api_client(people["viewer"])
    client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")
    cache.delete(f"{_model_key(study)}-nearest-0")
    counted_before = read.complete_revision(study)
    Trial.objects.filter(study=study).delete()
    # The count and revision as read the moment before the trials went: the model is found
    # in the cache, and its nearest trials are read after they went.
    monkeypatch.setattr(read, "complete_revision", lambda _study: counted_before)

    response = client.post(_url(study), {"params": {"x": 0.5, "y": 0.5}}, format="json")

    assert response.status_code == 409 and "changed while the prediction was made" in response.json()["detail"]
