"""Every search-space fault gives exactly one precise message at its path."""

import json
import pickle

import pytest

from studies.engine import SearchSpace, SearchSpaceError

INF = json.loads("1e400")  # JSON's way to spell infinity
NAN = float("nan")
CHOICES = {"type": "categorical", "choices": ["a", "b"]}
NOT_AN_IDENTIFIER = "is not a Python identifier (use ASCII letters, digits and _, not starting with a digit)"


def float_(**spec):
    return {"x": {"type": "float", "low": 0.0, "high": 1.0, **spec}}


def int_(**spec):
    return {"x": {"type": "int", "low": 0, "high": 10, **spec}}


def child_of(condition, parent=CHOICES, **extra):
    return {"c": parent, "y": {"type": "int", "low": 0, "high": 1, "condition": condition}, **extra}


# (id, search space, path, message)
FAULTS = [
    ("float-low-above-high", float_(low=1.0, high=0.0), "x.low", "low must be less than high"),
    ("float-low-equals-high", float_(low=0.5, high=0.5), "x.low", "low must be less than high"),
    ("int-low-equals-high", int_(low=5, high=5), "x.low", "low must be less than high"),
    ("float-log-low-zero", float_(log=True), "x.low", "low must be positive when log is true"),
    ("int-log-low-zero", int_(log=True), "x.low", "low must be positive when log is true"),
    ("float-step-not-dividing", float_(step=0.3), "x.step",
     "step must divide high - low (1.0 is not a multiple of 0.3)"),
    ("float-step-above-range", float_(step=2.0), "x.step",
     "step must divide high - low (1.0 is not a multiple of 2.0)"),
    ("int-step-not-dividing", int_(step=3), "x.step", "step must divide high - low (10 is not a multiple of 3)"),
    ("float-step-zero", float_(step=0), "x.step", "step must be positive"),
    ("float-step-negative", float_(step=-0.1), "x.step", "step must be positive"),
    ("int-step-zero", int_(step=0), "x.step", "step must be positive"),
    ("int-step-negative", int_(step=-2), "x.step", "step must be positive"),
    ("float-step-too-fine-for-the-bounds", float_(low=1e6, high=1e6 + 1, step=1e-9), "x.step",
     "step is too fine for bounds of this size; use at least 2.2e-07"),
    ("float-log-with-step", float_(low=0.1, log=True, step=0.1), "x.step",
     "step cannot be combined with log; drop one of them"),
    ("int-log-with-step", int_(low=1, high=9, log=True, step=2), "x.step", "step must be 1 when log is true"),
    ("int-low-fraction", int_(low=0.5), "x.low", "low must be an integer, not 0.5"),
    ("int-high-string", int_(high="10"), "x.high", 'high must be an integer, not "10"'),
    ("int-step-fraction", int_(step=2.5), "x.step", "step must be an integer, not 2.5"),
    ("int-bound-beyond-2-53", int_(high=2**53 + 1), "x.high", "high must be between -2**53 and 2**53"),
    ("float-low-true", float_(low=True), "x.low", "low must be a number, not true (booleans are not numbers here)"),
    ("float-step-true", float_(step=True), "x.step", "step must be a number, not true (booleans are not numbers here)"),
    ("int-high-false", int_(high=False), "x.high",
     "high must be an integer, not false (booleans are not numbers here)"),
    ("float-low-string", float_(low="0"), "x.low", 'low must be a number, not "0"'),
    ("float-low-null", float_(low=None), "x.low", "low must be a number, not null"),
    ("float-low-nan", float_(low=NAN), "x.low", "low must be a finite number, not NaN"),
    ("float-high-1e400", float_(high=INF), "x.high", "high must be a finite number, not Infinity"),
    ("float-step-nan", float_(step=NAN), "x.step", "step must be a finite number, not NaN"),
    ("float-high-huge-int", float_(high=10**400), "x.high", "high is too large"),
    ("int-low-minus-inf", int_(low=-INF), "x.low", "low must be a finite integer, not -Infinity"),
    ("float-range-overflows", float_(low=-1e308, high=1e308), "x.high",
     "high - low is too large to represent; narrow the range or use log"),
    ("float-log-not-boolean", float_(log="yes"), "x.log", 'log must be true or false, not "yes"'),
    ("choices-empty", {"c": {"type": "categorical", "choices": []}}, "c.choices", "choices must not be empty"),
    ("choices-not-a-list", {"c": {"type": "categorical", "choices": "abc"}}, "c.choices",
     'choices must be a list, not "abc"'),
    ("choices-1-and-1.0", {"c": {"type": "categorical", "choices": [1, 1.0]}}, "c.choices",
     "choices[1] (1.0) duplicates choices[0] (1); 1, 1.0 and true count as the same value"),
    ("choices-1-and-true", {"c": {"type": "categorical", "choices": [1, True]}}, "c.choices",
     "choices[1] (true) duplicates choices[0] (1); 1, 1.0 and true count as the same value"),
    ("choices-same-string", {"c": {"type": "categorical", "choices": ["a", "b", "a"]}}, "c.choices",
     'choices[2] ("a") duplicates choices[0] ("a")'),
    ("choices-list", {"c": {"type": "categorical", "choices": ["a", [1, 2]]}}, "c.choices",
     "choices[1] must be a string, number or boolean, not [1, 2]"),
    ("choices-object", {"c": {"type": "categorical", "choices": [{"a": 1}]}}, "c.choices",
     'choices[0] must be a string, number or boolean, not {"a": 1}'),
    ("choices-null", {"c": {"type": "categorical", "choices": [None]}}, "c.choices",
     "choices[0] must be a string, number or boolean, not null"),
    ("choices-nan", {"c": {"type": "categorical", "choices": [NAN]}}, "c.choices",
     "choices[0] must be finite, not NaN"),
    ("choices-too-many", {"c": {"type": "categorical", "choices": list(range(1001))}}, "c.choices",
     "choices has 1001 values; at most 1000 are allowed"),
    ("choice-too-long", {"c": {"type": "categorical", "choices": ["a", "b" * 201]}}, "c.choices",
     "choices[1] is 201 characters long; at most 200 are allowed"),
    ("choice-with-a-line-break", {"c": {"type": "categorical", "choices": ["a\nb"]}}, "c.choices",
     "choices[0] holds a control character (\\n); names are one line of visible text"),
    ("unknown-type", {"x": {"type": "complex"}}, "x.type", 'unknown type "complex"; use float, int or categorical'),
    ("missing-type", {"x": {"low": 0, "high": 1}}, "x.type", "type is required: float, int or categorical"),
    ("unknown-key", float_(bogus=1), "x.bogus",
     'unknown key "bogus"; float parameters take type, low, high, log, step, condition'),
    ("categorical-with-low", {"c": {**CHOICES, "low": 0}}, "c.low",
     'unknown key "low"; categorical parameters take type, choices, condition'),
    ("missing-high", {"x": {"type": "float", "low": 0}}, "x.high", "high is required"),
    ("missing-choices", {"c": {"type": "categorical"}}, "c.choices", "choices is required"),
    ("spec-not-an-object", {"x": 5}, "x",
     'the spec must be an object such as {"type": "float", "low": 0, "high": 1}, not 5'),
    ("condition-on-missing-parameter", child_of({"nope": ["a"]}), "y.condition",
     'condition parent "nope" is not a parameter of this space'),
    ("condition-on-float", child_of({"c": [0.5]}, parent={"type": "float", "low": 0, "high": 1}), "y.condition",
     'condition parent "c" is a float parameter; conditions can only test categorical parameters'),
    ("condition-value-not-a-choice", child_of({"c": ["a", "z"]}), "y.condition",
     'condition values "z" are not choices of "c"'),
    ("condition-true-is-not-1", child_of({"c": [True]}, parent={"type": "categorical", "choices": [1, 2]}),
     "y.condition",
     'condition values true are not choices of "c"'),
    ("condition-not-an-object", child_of(["c"]), "y.condition",
     'condition must be an object like {"kernel": ["poly"]}, not ["c"]'),
    ("condition-two-parents", child_of({"c": ["a"], "d": ["a"]}), "y.condition",
     'condition must name exactly one parent like {"kernel": ["poly"]}, not 2'),
    ("condition-no-parent", child_of({}), "y.condition",
     'condition must name exactly one parent like {"kernel": ["poly"]}, not 0'),
    ("condition-values-not-a-list", child_of({"c": "a"}), "y.condition",
     'condition values for "c" must be a list like {"kernel": ["poly"]}, not "a"'),
    ("condition-values-empty", child_of({"c": []}), "y.condition", "condition values must be a non-empty list"),
    ("condition-value-twice", child_of({"c": ["a", "a"]}), "y.condition", 'condition value "a" is listed twice'),
    ("condition-value-not-scalar", child_of({"c": [["a"]]}), "y.condition",
     'condition values[0] must be a string, number or boolean, not ["a"]'),
    ("condition-on-itself", {"c": {**CHOICES, "condition": {"c": ["a"]}}}, "c.condition",
     "a parameter cannot be conditioned on itself"),
    ("condition-cycle-of-two",
     {"a": {**CHOICES, "condition": {"b": ["a"]}}, "b": {**CHOICES, "condition": {"a": ["a"]}}},
     "a.condition", "conditions form a cycle: a -> b -> a"),
    ("condition-cycle-of-three", {
        "a": {**CHOICES, "condition": {"c": ["a"]}},
        "b": {**CHOICES, "condition": {"a": ["a"]}},
        "c": {**CHOICES, "condition": {"b": ["a"]}},
    }, "a.condition", "conditions form a cycle: a -> c -> b -> a"),
    ("name-starts-with-digit", {"1x": CHOICES}, "", f'parameter name "1x" {NOT_AN_IDENTIFIER}'),
    ("name-with-dash", {"x-y": CHOICES}, "", f'parameter name "x-y" {NOT_AN_IDENTIFIER}'),
    ("name-empty", {"": CHOICES}, "", f'parameter name "" {NOT_AN_IDENTIFIER}'),
    ("name-non-ascii", {"\u00e9t\u00e9": CHOICES}, "", f'parameter name "\\u00e9t\\u00e9" {NOT_AN_IDENTIFIER}'),
    ("name-with-nul", {"x\x00": CHOICES}, "", f'parameter name "x\\u0000" {NOT_AN_IDENTIFIER}'),
    ("name-with-html", {"<b>": CHOICES}, "", f'parameter name "<b>" {NOT_AN_IDENTIFIER}'),
    ("name-too-long", {"x" * 65: CHOICES}, "", f'parameter name "{"x" * 65}" is longer than 64 characters'),
    ("too-many-parameters", {f"p{i}": CHOICES for i in range(101)}, "",
     "the search space has 101 parameters; at most 100 are allowed"),
    ("empty-space", {}, "", "the search space is empty; add at least one parameter"),
    ("space-is-a-list", [CHOICES], "",
     'the search space must be a JSON object mapping names to specs, not [{"type": "categorical", "choices": ["a", "b"]}]'),
    ("space-is-null", None, "", "the search space must be a JSON object mapping names to specs, not null"),
]


@pytest.mark.parametrize("space, path, message", [case[1:] for case in FAULTS], ids=[case[0] for case in FAULTS])
def test_fault_gives_one_message_at_its_path(space, path, message):
    with pytest.raises(SearchSpaceError) as info:
        SearchSpace.from_json(space)

    assert info.value.errors == [(path, message)]


def test_faults_in_several_parameters_are_all_reported():
    space = {"a": float_(low=2.0)["x"], "b": int_(step=0)["x"], "c": {"type": "categorical", "choices": []}}

    with pytest.raises(SearchSpaceError) as info:
        SearchSpace.from_json(space)

    assert info.value.errors == [
        ("a.low", "low must be less than high"),
        ("b.step", "step must be positive"),
        ("c.choices", "choices must not be empty"),
    ]


def test_several_faults_in_one_parameter_are_all_reported():
    space = {"x": {"type": "int", "low": True, "high": NAN, "step": 0, "extra": 1}}

    with pytest.raises(SearchSpaceError) as info:
        SearchSpace.from_json(space)

    assert [path for path, _ in info.value.errors] == ["x.extra", "x.low", "x.high", "x.step"]


def test_error_text_joins_path_and_message():
    with pytest.raises(SearchSpaceError) as info:
        SearchSpace.from_json({"lr": {"type": "float", "low": 1, "high": 0}, "1x": CHOICES})

    assert str(info.value) == (
        "lr.low: low must be less than high; parameter name \"1x\" is not a Python identifier "
        "(use ASCII letters, digits and _, not starting with a digit)"
    )


def test_error_survives_pickling_with_its_pairs():
    with pytest.raises(SearchSpaceError) as info:
        SearchSpace.from_json({"lr": {"type": "float", "low": 1, "high": 0}})

    copy = pickle.loads(pickle.dumps(info.value))

    assert copy.errors == [("lr.low", "low must be less than high")]


def test_error_is_a_value_error():
    assert issubclass(SearchSpaceError, ValueError)


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "float", "low": 0, "high": 0.3, "step": 0.1},
        {"type": "float", "low": 0.1, "high": 0.7, "step": 0.2},
        {"type": "float", "low": -1, "high": 1, "step": 0.1},
        {"type": "int", "low": 0, "high": 10, "step": 5},
        {"type": "int", "low": 1, "high": 9, "log": True, "step": 1},
        {"type": "int", "low": 2.0, "high": 4.0},
        {"type": "float", "low": 0, "high": 1, "step": None, "condition": None},
    ],
    ids=["0.3-by-0.1", "0.1-0.7-by-0.2", "minus-one-to-one-by-0.1", "int-step-5", "int-log-step-1",
         "integral-floats", "nulls"],
)
def test_valid_spec_is_accepted(spec):
    space = SearchSpace.from_json({"x": spec})

    assert space.names == ("x",)


def test_names_up_to_64_characters_and_keywords_are_accepted():
    space = SearchSpace.from_json({"x" * 64: CHOICES, "lambda": CHOICES, "_private2": CHOICES})

    assert len(space) == 3


def test_100_parameters_are_accepted():
    space = SearchSpace.from_json({f"p{i}": CHOICES for i in range(100)})

    assert len(space) == 100


def test_a_spec_with_a_bad_name_is_not_checked_further():
    with pytest.raises(SearchSpaceError) as info:
        SearchSpace.from_json({"bad name": {"type": "nonsense"}})

    assert [path for path, _ in info.value.errors] == [""]
