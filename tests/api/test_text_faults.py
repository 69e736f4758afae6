"""Strings a database cannot store or a page cannot encode are refused with 400 naming where they are.

A lone surrogate ("\\ud800", half of a UTF-16 pair) is valid JSON but not text: stored, it made
every page that shows the study answer 500. PostgreSQL refuses NUL (\\u0000) with a 500. Both are
refused in every string of a body, keys included, before anything is stored.
"""

import json

import pytest

from studies.models import Study, Trial

from .helpers import create, external_spec

pytestmark = pytest.mark.django_db


def _post_raw(api, url, text):
    return api.generic("POST", url, text, content_type="application/json")


def _space_with_choice(escaped_choice):
    # Written as raw JSON text: the escape is what a hostile client sends.
    return ('{"name": "s", "objective": {"kind": "external"}, "search_space": '
            '{"c": {"type": "categorical", "choices": ["a", "%s"]}}}' % escaped_choice)


def test_a_lone_surrogate_in_a_choice_answers_400_naming_its_path(api):
    response = _post_raw(api, "/api/studies/", _space_with_choice("\\ud800"))

    assert response.status_code == 400
    assert "surrogate" in response.data["search_space.c.choices[1]"][0]
    assert not Study.objects.exists()


def test_a_nul_in_a_choice_answers_400_naming_its_path(api):
    response = _post_raw(api, "/api/studies/", _space_with_choice("a\\u0000b"))

    assert response.status_code == 400
    assert "NUL" in response.data["search_space.c.choices[1]"][0]
    assert not Study.objects.exists()


def test_a_nul_in_the_study_name_answers_400_naming_the_name(api):
    response = api.post("/api/studies/", external_spec(name="churn\u0000model"), format="json")

    assert response.status_code == 400
    assert "NUL" in response.data["name"][0]
    assert not Study.objects.exists()


def test_a_lone_surrogate_in_a_key_answers_400_naming_the_object_that_holds_it(api):
    body = '{"name": "s", "objective": {"kind": "external", "x\\udfff": 1}, "search_space": {}}'

    response = _post_raw(api, "/api/studies/", body)

    assert response.status_code == 400
    assert "key" in response.data["objective"][0] and "surrogate" in response.data["objective"][0]
    assert not Study.objects.exists()


def test_a_surrogate_pair_is_an_ordinary_character_and_accepted(api):
    body = _space_with_choice("\\ud83d\\ude00")  # one emoji, written as its UTF-16 pair

    response = _post_raw(api, "/api/studies/", body)

    assert response.status_code == 201, response.data
    assert Study.objects.get().search_space["c"]["choices"][1] == "\U0001F600"


def test_the_error_quotes_the_fault_escaped_so_the_answer_itself_encodes(api):
    response = _post_raw(api, "/api/studies/", _space_with_choice("\\ud800"))

    assert "\\ud800" in response.data["search_space.c.choices[1]"][0]
    assert json.loads(response.content)  # the body is valid UTF-8 JSON


def test_a_nul_in_enqueued_params_answers_400_and_enqueues_nothing(api):
    study_id = create(api)

    response = _post_raw(api, f"/api/studies/{study_id}/trials/", '{"params": {"x": 0, "n": 1, "kind": "\\u0000"}}')

    assert response.status_code == 400
    assert "params.kind" in response.data
    assert not Trial.objects.exists()


def test_a_lone_surrogate_in_a_tell_error_answers_400(api):
    study_id = create(api)
    trial = api.post(f"/api/studies/{study_id}/ask/").data

    response = _post_raw(api, f"/api/trials/{trial['id']}/tell/", '{"state": "failed", "error": "\\ud800"}')

    assert response.status_code == 400
    assert "error" in response.data
    assert Trial.objects.get().state == "running"


@pytest.mark.parametrize("name", ["churn model\nimport os", "tab\tname", "invoice \u202egnp.exe", "a\u2066b"],
                         ids=["line_break", "tab", "right_to_left_override", "left_to_right_isolate"])
def test_a_study_name_with_a_control_or_bidi_character_answers_400_naming_the_name(api, name):
    response = api.post("/api/studies/", external_spec(name=name), format="json")

    assert response.status_code == 400
    assert "name" in response.data and "control" in response.data["name"][0]
    assert not Study.objects.exists()


def test_a_choice_with_a_line_break_answers_400_naming_the_parameter(api):
    space = {"c": {"type": "categorical", "choices": ["a", "b\nc"]}}

    response = api.post("/api/studies/", external_spec(search_space=space), format="json")

    assert response.status_code == 400
    assert response.data["search_space"] == ["c.choices: choices[1] holds a control character (\\n); "
                                             "names are one line of visible text"]


def test_a_dataset_name_with_a_line_break_answers_400_naming_the_name(api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from studies.models import Dataset

    upload = SimpleUploadedFile("d.csv", b"a,b\n1,2\n3,4\n", "text/csv")

    response = api.post("/api/datasets/", {"file": upload, "name": "d\nx"}, format="multipart")

    assert response.status_code == 400
    assert "control" in response.data["name"][0]
    assert not Dataset.objects.exists()
