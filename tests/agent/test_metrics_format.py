"""The metric lines and JSON-lines file that `tuner-agent` reads."""

import pytest

from tuner_client.metrics import Extra, Metric, MetricFormatError, MetricsFile, parse_line


@pytest.mark.parametrize(
    "line, metric",
    [
        ("tuner: step=3 value=0.81\n", Metric(0.81, 3)),
        ("tuner: value=0.93", Metric(0.93)),
        ("tuner: values=0.93,41.2", Metric((0.93, 41.2))),
        ("tuner: values = 1, -2e-3, 7", Metric((1.0, -0.002, 7.0))),
        ("  tuner:   value = -1e-3 ,  step = 0", Metric(-0.001, 0)),
        ("epoch 3: loss 0.2", None),
        ("the tuner: value=1 is in the middle", None),
    ],
)
def test_lines_are_read_as_metrics(line, metric):
    assert parse_line(line) == metric


@pytest.mark.parametrize(
    "line, fault",
    [
        ("tuner: step=3", "no value"),
        ("tuner: value=abc", "not a number"),
        ("tuner: value=nan", "not a finite number"),
        ("tuner: step=-1 value=1", "not a whole number"),
        ("tuner: loss=0.2", "unknown key 'loss'"),
        ("tuner: values=0.93", "gives one number; 'values=' is for a study with several objectives"),
        ("tuner: values=0.93,abc", "value 'abc' .* is not a number"),
        ("tuner: values=0.93,inf", "not a finite number"),
        ("tuner: step=1 values=0.9,1", "unknown key 'values'"),
    ],
)
def test_a_malformed_tuner_line_says_what_is_wrong(line, fault):
    with pytest.raises(MetricFormatError, match=fault):
        parse_line(line)


def test_a_metrics_file_is_followed_line_by_line(tmp_path):
    path = tmp_path / "metrics.jsonl"
    follower = MetricsFile(str(path))
    path.write_text('{"step": 0, "value": 0.5}\n{"step": 1, "val')

    first = follower.read_new()
    with path.open("a") as handle:
        handle.write('ue": 0.6}\nnot json\n{"value": 0.7}')
    second = follower.read_new(final=True)

    assert first == ([Metric(0.5, 0)], [])
    assert second[0] == [Metric(0.6, 1), Metric(0.7)]
    assert len(second[1]) == 1 and "is not JSON" in second[1][0]


def test_a_metrics_file_gives_the_values_of_a_study_with_several_objectives(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text('{"values": [0.93, 41.2]}\n{"values": [0.5]}\n{"values": [1, "fast"]}\n')

    metrics, problems = MetricsFile(str(path)).read_new()

    assert metrics == [Metric((0.93, 41.2))]
    assert len(problems) == 2 and all('"values" must be a list of finite numbers' in p for p in problems)


@pytest.mark.parametrize(
    "line, extra",
    [
        ("tuner: metric train_time_s=41.2\n", Extra("metric", "train_time_s", 41.2)),
        ("tuner: metric model_mb = 3", Extra("metric", "model_mb", 3.0)),
        ("tuner: attr commit=3f2a1c9", Extra("attr", "commit", "3f2a1c9")),
        ("tuner: attr note=warm start, lr=0.1 halved  ", Extra("attr", "note", "warm start, lr=0.1 halved")),
        ("tuner: attr html=<b>bold</b>", Extra("attr", "html", "<b>bold</b>")),
    ],
)
def test_metric_and_attr_lines_are_read_as_extras(line, extra):
    assert parse_line(line) == extra


@pytest.mark.parametrize(
    "line, fault",
    [
        ("tuner: metric recall=high", "metric recall .* is not a number"),
        ("tuner: metric recall=inf", "metric recall .* is not a finite number"),
        ("tuner: metric recall", "cannot read"),
        ("tuner: attr =x", "cannot read"),
    ],
)
def test_a_malformed_metric_or_attr_line_says_what_is_wrong(line, fault):
    with pytest.raises(MetricFormatError, match=fault):
        parse_line(line)


def test_a_metrics_file_carries_metrics_and_attrs_objects(tmp_path):
    path = tmp_path / "metrics.jsonl"
    path.write_text('{"metrics": {"model_mb": 3, "recall": 0.8}}\n{"attrs": {"tags": ["gpu"]}}\n{"value": 0.7}\n')

    found, problems = MetricsFile(str(path)).read_new(final=True)

    assert problems == []
    assert found == [Extra("metric", "model_mb", 3.0), Extra("metric", "recall", 0.8),
                     Extra("attr", "tags", ["gpu"]), Metric(0.7)]


@pytest.mark.parametrize("line, fault", [
    ('{"metrics": {"recall": "high"}}', "metric recall is not a finite number"),
    ('{"metrics": [1]}', "metrics must be an object"),
    ('{"attrs": {"a": 1}, "value": 0.5}', "in an object of their own"),
])
def test_a_malformed_metrics_or_attrs_record_is_skipped_with_its_fault(tmp_path, line, fault):
    path = tmp_path / "metrics.jsonl"
    path.write_text(line + "\n")

    found, problems = MetricsFile(str(path)).read_new(final=True)

    assert found == [] and len(problems) == 1 and fault in problems[0]


@pytest.mark.parametrize(
    "line, extra",
    [
        ("tuner: constraint 0.3\n", Extra("constraint", "", [0.3])),
        ("tuner: constraints 0.3,-1", Extra("constraints", "", [0.3, -1.0])),
        ("tuner: constraints 0.3, -1  2e-3", Extra("constraints", "", [0.3, -1.0, 0.002])),
    ],
)
def test_constraint_lines_are_read_as_extras(line, extra):
    assert parse_line(line) == extra


@pytest.mark.parametrize(
    "line, fault",
    [
        ("tuner: constraint high", "constraint 'high' .* is not a number"),
        ("tuner: constraints 0.1,nan", "constraint 'nan' .* is not a finite number"),
        ("tuner: constraint 0.1,0.2", "gives 2 numbers"),
        ("tuner: constraint", "cannot read"),
    ],
)
def test_a_malformed_constraint_line_says_what_is_wrong(line, fault):
    with pytest.raises(MetricFormatError, match=fault):
        parse_line(line)
