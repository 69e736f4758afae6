"""Hostile and malformed input: each answers 400 (or 413) naming the fault; nothing is stored or queued."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies.models import Dataset, Study, Trial

from .helpers import ask, create

pytestmark = pytest.mark.django_db


def _study(space=None, **overrides):
    body = {"name": "hostile", "objective": {"kind": "external"}, "budget": {"n_trials": 5},
            "search_space": space if space is not None else {"x": {"type": "float", "low": 0, "high": 1}}}
    body.update(overrides)
    return body


def _float(**spec):
    return {"x": {"type": "float", **spec}}


BAD_SPACES = {
    "low_equals_high": (_float(low=1, high=1), "low"),
    "low_above_high": (_float(low=2, high=1), "low"),
    "log_zero_low": (_float(low=0, high=1, log=True), "log"),
    "log_negative_low": (_float(low=-1, high=1, log=True), "log"),
    "step_not_dividing": (_float(low=0, high=1, step=0.3), "step"),
    "step_zero": (_float(low=0, high=1, step=0), "step"),
    "step_negative": (_float(low=0, high=1, step=-0.1), "step"),
    "log_and_step": (_float(low=1, high=10, step=1, log=True), "step"),
    "bool_low": (_float(low=True, high=2), "low"),
    "string_low": (_float(low="0", high=1), "low"),
    "missing_high": (_float(low=0), "high"),
    "int_fractional_bound": ({"n": {"type": "int", "low": 0.5, "high": 3}}, "low"),
    "empty_choices": ({"c": {"type": "categorical", "choices": []}}, "choices"),
    "duplicate_choices": ({"c": {"type": "categorical", "choices": ["a", "a"]}}, "duplicate"),
    "one_and_one_point_zero": ({"c": {"type": "categorical", "choices": [1, 1.0]}}, "same"),
    "one_and_true": ({"c": {"type": "categorical", "choices": [1, True]}}, "same"),
    "list_choice": ({"c": {"type": "categorical", "choices": [[1], 2]}}, "choice"),
    "dict_choice": ({"c": {"type": "categorical", "choices": [{"a": 1}]}}, "choice"),
    "null_choice": ({"c": {"type": "categorical", "choices": [None, 1]}}, "choice"),
    "choices_not_list": ({"c": {"type": "categorical", "choices": "abc"}}, "choices"),
    "unknown_type": ({"x": {"type": "complex"}}, "type"),
    "missing_type": ({"x": {"low": 0, "high": 1}}, "type"),
    "unknown_key": (_float(low=0, high=1, colour="red"), "colour"),
    "spec_not_object": ({"x": [0, 1]}, "object"),
    "name_with_space": ({"a b": {"type": "float", "low": 0, "high": 1}}, "identifier"),
    "name_with_nul": ({"a\u0000b": {"type": "float", "low": 0, "high": 1}}, "NUL"),
    "name_with_html": ({"<script>": {"type": "float", "low": 0, "high": 1}}, "identifier"),
    "name_too_long": ({"x" * 65: {"type": "float", "low": 0, "high": 1}}, "64"),
    "too_many_parameters": ({f"p{i}": {"type": "float", "low": 0, "high": 1} for i in range(101)}, "100"),
    "empty_space": ({}, "empty"),
    "space_not_object": ([1, 2], "object"),
    "condition_on_missing": (
        {"x": {"type": "float", "low": 0, "high": 1, "condition": {"k": ["a"]}}}, "k"),
    "condition_value_not_a_choice": (
        {"k": {"type": "categorical", "choices": ["a"]},
         "x": {"type": "float", "low": 0, "high": 1, "condition": {"k": ["b"]}}}, "b"),
    "condition_two_parents": (
        {"k": {"type": "categorical", "choices": ["a"]}, "j": {"type": "categorical", "choices": ["a"]},
         "x": {"type": "float", "low": 0, "high": 1, "condition": {"k": ["a"], "j": ["a"]}}}, "one"),
    "condition_self": ({"k": {"type": "categorical", "choices": ["a"], "condition": {"k": ["a"]}}}, "k"),
    "too_many_choices": ({"c": {"type": "categorical", "choices": list(range(200_000))}}, "at most 1000"),
    "choice_too_long": ({"c": {"type": "categorical", "choices": ["x" * 2_000_000]}}, "at most 200"),
    "choice_with_line_break": ({"c": {"type": "categorical", "choices": ["a\nimport os"]}}, "control character"),
    "choice_with_bidi_override": ({"c": {"type": "categorical", "choices": ["\u202eexe.pdf"]}}, "bidirectional"),
}


@pytest.mark.parametrize("space,fragment", list(BAD_SPACES.values()), ids=list(BAD_SPACES))
def test_bad_search_space(api, space, fragment):
    response = api.post("/api/studies/", _study(space), format="json")

    assert response.status_code == 400, response.data
    assert fragment.lower() in json.dumps(response.data).lower(), response.data
    assert not Study.objects.exists()


def test_grid_explosion_is_refused_without_building_the_grid(api):
    space = {f"x{i}": {"type": "int", "low": 0, "high": 10**6} for i in range(20)}

    response = api.post("/api/studies/", _study(space, sampler={"name": "grid"}), format="json")

    assert response.status_code == 400
    assert "sampler" in response.data


RAW_BODIES = {
    "nan_literal": '{"name": "x", "objective": {"kind": "external"}, "search_space": {"x": {"type": "float", "low": NaN, "high": 1}}}',
    "infinity_literal": '{"name": "x", "objective": {"kind": "external"}, "search_space": {"x": {"type": "float", "low": 0, "high": Infinity}}}',
    "overflowing_number": '{"name": "x", "objective": {"kind": "external"}, "search_space": {"x": {"type": "float", "low": 0, "high": 1e400}}}',
    "duplicate_parameter_names": '{"name": "x", "objective": {"kind": "external"}, "search_space": {"x": {"type": "float", "low": 0, "high": 1}, "x": {"type": "int", "low": 0, "high": 3}}}',
    "truncated": '{"name": "x", "objective": {"kind": "exter',
    "not_utf8": b'{"name": "\xff\xfe"}',
}


@pytest.mark.parametrize("body", list(RAW_BODIES.values()), ids=list(RAW_BODIES))
def test_malformed_json_body(api, body):
    response = api.generic("POST", "/api/studies/", body, content_type="application/json")

    assert response.status_code == 400
    assert "JSON parse error" in response.data["detail"]
    assert not Study.objects.exists()


# Strings that are valid JSON but not storable text, anywhere in a body: (raw JSON, the path named).
UNSTORABLE_TEXT = {
    "surrogate_in_name": ('{"name": "\\ud800", "objective": {"kind": "external"}}', "name"),
    "nul_in_name": ('{"name": "a\\u0000", "objective": {"kind": "external"}}', "name"),
    "surrogate_in_choice": ('{"name": "x", "objective": {"kind": "external"}, "search_space": '
                            '{"c": {"type": "categorical", "choices": ["\\udfff"]}}}', "search_space.c.choices[0]"),
    "nul_in_choice": ('{"name": "x", "objective": {"kind": "external"}, "search_space": '
                      '{"c": {"type": "categorical", "choices": ["\\u0000"]}}}', "search_space.c.choices[0]"),
    "surrogate_in_a_key": ('{"name": "x", "objective": {"kind": "external", "\\ud800": 1}}', "objective"),
    "nul_in_a_parameter_name": ('{"name": "x", "objective": {"kind": "external"}, "search_space": '
                                '{"a\\u0000": {"type": "float", "low": 0, "high": 1}}}', "search_space"),
    "surrogate_in_sampler": ('{"name": "x", "objective": {"kind": "external"}, "sampler": {"name": "\\udbff"}}',
                             "sampler.name"),
    "surrogate_in_a_list_of_lists": ('{"name": "x", "objective": {"kind": "external"}, "directions": [["\\ud800"]]}',
                                     "directions[0][0]"),
}


@pytest.mark.parametrize("body,path", list(UNSTORABLE_TEXT.values()), ids=list(UNSTORABLE_TEXT))
def test_unstorable_text_anywhere_in_a_body_answers_400_naming_its_path(api, body, path):
    response = api.generic("POST", "/api/studies/", body, content_type="application/json")

    assert response.status_code == 400
    assert path in response.data, response.data
    assert not Study.objects.exists()


def test_a_body_nested_thousands_deep_answers_400(api):
    body = '{"name": "x", "objective": {"kind": "external"}, "sampler": ' + "[" * 5000 + "]" * 5000 + "}"

    response = api.generic("POST", "/api/studies/", body, content_type="application/json")

    assert response.status_code == 400
    assert "deeper" in response.data["detail"]



BAD_SETTINGS = {
    "direction_unknown": ({"direction": "sideways"}, "direction"),
    "directions_empty": ({"directions": []}, "directions"),
    "directions_not_list": ({"directions": "minimize"}, "directions"),
    "both_direction_and_directions": ({"direction": "minimize", "directions": ["minimize"]}, "direction"),
    "n_trials_zero": ({"budget": {"n_trials": 0}}, "budget.n_trials"),
    "n_trials_string": ({"budget": {"n_trials": "ten"}}, "budget.n_trials"),
    "n_trials_huge": ({"budget": {"n_trials": 10**12}}, "budget.n_trials"),
    "timeout_negative": ({"budget": {"n_trials": 5, "timeout_s": -1}}, "budget.timeout_s"),
    "parallelism_too_high": ({"budget": {"n_trials": 5, "parallelism": 10**6}}, "budget.parallelism"),
    "budget_not_object": ({"budget": [5]}, "budget"),
    "cv_one_fold": ({"objective": {"kind": "sklearn", "estimator": "knn", "dataset": "iris", "cv": 1}}, "objective"),
    "cv_too_many_folds": ({"objective": {"kind": "sklearn", "estimator": "knn", "dataset": "iris", "cv": 500}}, "objective"),
    "unknown_estimator": ({"objective": {"kind": "sklearn", "estimator": "gpt", "dataset": "iris"}}, "objective"),
    "regressor_on_classification": ({"objective": {"kind": "sklearn", "estimator": "ridge", "dataset": "iris"}}, "objective"),
    "unknown_function": ({"objective": {"kind": "function", "name": "everest"}}, "objective"),
    "name_too_long": ({"name": "n" * 201}, "name"),
    "seed_string": ({"sampler": {"name": "random", "seed": "abc"}}, "sampler.seed"),
    "sampler_unknown_option": ({"sampler": {"name": "random", "speed": 11}}, "sampler"),
    "grace_zero": ({"grace_period_s": 0}, "grace_period_s"),
    "name_with_line_break": ({"name": "churn model\nimport os; os.system('x')\n#"}, "name"),
    "name_with_bidi_override": ({"name": "report \u202eexe.pdf"}, "name"),
    "name_with_bidi_isolate": ({"name": "a\u2067b"}, "name"),
    "name_with_nul": ({"name": "a\u0000b"}, "name"),
}


@pytest.mark.parametrize("overrides,field", list(BAD_SETTINGS.values()), ids=list(BAD_SETTINGS))
def test_bad_study_settings(api, overrides, field):
    response = api.post("/api/studies/", _study(**overrides), format="json")

    assert response.status_code == 400, response.data
    assert any(key.startswith(field) for key in response.data), response.data
    assert not Study.objects.exists()


BAD_REPORTS = {
    "step_past_a_64_bit_column": {"step": 2**63, "value": 1.0},
    "step_past_a_32_bit_column": {"step": 2**31, "value": 1.0},
    "step_huge": {"step": 10**30, "value": 1.0},
    "step_negative": {"step": -1, "value": 1.0},
    "step_bool": {"step": True, "value": 1.0},
    "step_fraction": {"step": 1.5, "value": 1.0},
}


@pytest.mark.parametrize("body", list(BAD_REPORTS.values()), ids=list(BAD_REPORTS))
def test_bad_report(api, body):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/report/", body, format="json")

    assert response.status_code == 400, response.data
    assert "step" in response.data


BAD_TELLS = {
    "value_string": {"value": "high"},
    "value_missing": {},
    "value_bool": {"value": True},
    "state_unknown": {"state": "done", "value": 1.0},
    "values_on_single_objective_wrong": {"value": [1, 2]},
}


@pytest.mark.parametrize("body", list(BAD_TELLS.values()), ids=list(BAD_TELLS))
def test_bad_tell(api, body):
    trial = ask(api, create(api))

    response = api.post(f"/api/trials/{trial['id']}/tell/", body, format="json")

    assert response.status_code == 400, response.data
    assert Trial.objects.get(pk=trial["id"]).state == "running"


def _csv(content, name="data.csv"):
    return {"file": SimpleUploadedFile(name, content, "text/csv")}


BAD_CSVS = {
    "empty": (b"", "empty"),
    "header_only": (b"a,b,target\n", "no data rows"),
    "ragged_rows": (b"a,b\n1,2\n3\n", "line 3"),
    "invalid_utf8": (b"a,b\n1,\xff\n", "UTF-8"),
    "nul_bytes": (b"a,b\n1,\x002\n", "NUL"),
    "unterminated_quote": (b'a,b\n1,"2\n3,4\n', "quote"),
    "duplicate_headers": (b"a,a\n1,2\n", "duplicate"),
    "empty_header": (b"a,\n1,2\n", "empty"),
    "pickle_renamed": (b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94.", "binary"),
    "xlsx_renamed": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe", "binary"),
    "target_name_past_its_column": (b"a," + b"t" * 300 + b"\n" + b"".join(b"%d,%d\n" % (i, i % 2) for i in range(20)),
                                    "255"),
}
# Cells are data, whatever they look like: stored as uploaded, escaped wherever shown, and
# neutralised in every CSV Tuner writes (issue 12: a real table said "1. < HS Grad").
DATA_THAT_LOOKS_LIKE_CODE = {
    "formula_cell": (b"name,value\n=HYPERLINK(\"http://x\"),1\nb,2\n", '=HYPERLINK("http://x")'),
    "at_formula_cell": (b"name,value\n@SUM(A1),1\nb,2\n", "@SUM(A1)"),
    "plus_formula_cell": (b"name,value\n+cmd|' /C calc'!A0,1\nb,2\n", "+cmd|' /C calc'!A0"),
    "html_cell": (b"name,value\n<script>alert(1)</script>,1\nb,2\n", "<script>alert(1)</script>"),
    "census_cell": (b"education,value\n1. < HS Grad,1\n<=50K,2\n", "1. < HS Grad"),
}


@pytest.mark.parametrize("content,fragment", list(BAD_CSVS.values()), ids=list(BAD_CSVS))
def test_bad_csv(api, content, fragment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = api.post("/api/datasets/", _csv(content), format="multipart")

    assert response.status_code == 400, response.data
    assert fragment.lower() in response.data["file"][0].lower(), response.data
    assert not Dataset.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]  # no file left without its row


@pytest.mark.parametrize("content,cell", list(DATA_THAT_LOOKS_LIKE_CODE.values()), ids=list(DATA_THAT_LOOKS_LIKE_CODE))
def test_a_cell_that_looks_like_code_is_stored_as_uploaded(api, content, cell):
    response = api.post("/api/datasets/", _csv(content), format="multipart")

    assert response.status_code == 201, response.data
    assert Dataset.objects.get().preview[0][0] == cell


def test_a_column_name_with_markup_is_stored_as_uploaded(api):
    response = api.post("/api/datasets/", _csv(b"<b>name</b>,value\na,1\nb,2\n"), format="multipart")

    assert response.status_code == 201, response.data
    assert Dataset.objects.get().column_names[0] == "<b>name</b>"


def test_csv_with_a_huge_field_is_refused(api, settings):
    settings.TUNER_MAX_CSV_FIELD = 100

    response = api.post("/api/datasets/", _csv(b"a,b\n1," + b"x" * 500 + b"\n"), format="multipart")

    assert response.status_code == 400
    assert "100" in response.data["file"][0]


def test_csv_with_too_many_columns_is_refused(api, settings):
    settings.TUNER_MAX_CSV_COLUMNS = 5
    header = ",".join(f"c{i}" for i in range(6)).encode()

    response = api.post("/api/datasets/", _csv(header + b"\n" + b",".join([b"1"] * 6) + b"\n"), format="multipart")

    assert response.status_code == 400
    assert "column" in response.data["file"][0].lower()


def test_study_on_a_constant_target_is_refused(api):
    dataset = api.post("/api/datasets/", _csv(b"a,t\n" + b"".join(b"%d,1\n" % i for i in range(30))),
                       format="multipart").data

    response = api.post("/api/studies/", {
        "name": "constant", "objective": {"kind": "sklearn", "estimator": "knn", "dataset": dataset["reference"],
                                          "target": "t"}, "budget": {"n_trials": 3}}, format="json")

    assert response.status_code == 400
    assert "constant" in json.dumps(response.data).lower() or "one value" in json.dumps(response.data).lower()
    assert not Study.objects.exists()


def test_negative_numbers_are_not_mistaken_for_formulas(api):
    response = api.post("/api/datasets/", _csv(b"x,y\n-1.5,+2\n-3,4\n"), format="multipart")

    assert response.status_code == 201, response.data
