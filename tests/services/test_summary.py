"""The plain-language summary, on studies whose answers are known."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from studies.engine import SearchSpace, TrialRecord, rng_for
from studies.engine.samplers import RandomSampler
from studies.services import read
from studies.services.summary import default_trial, facts_of, front_sentence, sentences_of, study_summary, summarise
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

T0 = datetime(2026, 1, 1, tzinfo=UTC)

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "noise": {"type": "float", "low": 0.0, "high": 1.0}}


def Row(number, state, value, params, duration_s):  # noqa: N802 — reads like the row it builds
    return read.TrialRow(number=number, state=state, value=value, params=params, started_at=T0,
                         finished_at=T0 + timedelta(seconds=duration_s))


def _by_key(sentences):
    return {sentence.key: sentence for sentence in sentences}


def _x_drives_the_value(n=60, seed=0):
    """value = 10 (x - 0.3)^2 + 0.01 noise, minimised: x is what matters, best near x = 0.3."""
    rng = np.random.default_rng(seed)
    rows = []
    for number in range(n):
        x, noise = float(rng.uniform()), float(rng.uniform())
        rows.append(("complete", 10 * (x - 0.3) ** 2 + 0.01 * noise, {"x": x, "noise": noise}))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_parameter_that_drives_the_value_comes_first_with_its_best_range(people, seed):
    study = make_study(people["owner"], space=SPACE)
    add_trials(study, _x_drives_the_value(seed=seed))

    sentences = _by_key(study_summary(study))

    assert sentences["importance"].text.startswith("What mattered most is x:")
    assert int(sentences["importance"].figure.rstrip("%")) >= 60
    low, high = (float(v) for v in sentences["range"].figure.split("–"))
    assert 0.1 <= low <= 0.3 <= high <= 0.5


def test_best_is_compared_with_the_first_trials():
    rows = [Row(i, "complete", 10.0 - i * 0.1, {"x": i}, 1.0) for i in range(30)]

    sentences = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 30}}))

    assert sentences["best"].figure == "7.1"
    assert sentences["first"].figure == "+22.0%"  # best of the first ten is 9.1; (9.1 - 7.1) / 9.1
    assert "trial #29" in sentences["best"].text


def test_large_values_read_with_thousands_separators_not_an_exponent():
    rows = [Row(i, "complete", 20_000.0 - i * 100, {"x": i}, 1.0) for i in range(30)]

    sentences = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 30}}))

    assert sentences["best"].figure == "17,100"
    assert "(19,100)" in sentences["first"].text  # the best of the first ten, as a person writes it


def test_the_best_value_is_not_repeated_when_the_result_was_already_said_in_words():
    rows = [Row(i, "complete", 10.0 - i * 0.1, {"x": i}, 1.0) for i in range(30)]

    sentences = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 30}}, worded=True))

    assert sentences["best"].text == "Trial #29 found the best settings."
    assert "7.1" not in sentences["best"].text and sentences["first"].figure == "+22.0%"


def test_default_settings_are_compared_where_known():
    rows = [Row(0, "complete", 0.90, {"C": 1.0}, 1.0), Row(1, "complete", 0.95, {"C": 3.0}, 1.0)]

    sentences = _by_key(summarise("maximize", rows, {"C": {"type": "float", "low": 0.1, "high": 10}}, default=(0, 0.90)))

    assert sentences["default"].figure == "+5.6%" and "trial #0" in sentences["default"].text


@pytest.mark.django_db
def test_a_trial_at_the_estimators_defaults_is_found(people):
    space = {"C": {"type": "float", "low": 0.01, "high": 100, "log": True}}
    study = make_study(people["owner"], space=space, directions=["maximize"],
                       objective={"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris",
                                  "metric": "accuracy", "cv": 3})
    add_trials(study, [("complete", 0.90, {"C": 0.5}), ("complete", 0.93, {"C": 1.0}), ("complete", 0.97, {"C": 5.0})])

    assert default_trial(study, read.finished_rows(study)) == (1, 0.93)


def test_pruned_trials_and_the_time_they_saved():
    rows = [Row(i, "complete", float(i), {"x": i}, 100.0) for i in range(4)]
    rows += [Row(4 + i, "pruned", None, {"x": i}, 10.0) for i in range(6)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 9}}))["pruned"]

    assert sentence.text.startswith("6 trials were stopped early")
    assert sentence.figure == "9 min"  # 6 × (100 s − 10 s) = 540 s


def test_a_long_stretch_without_improvement_reads_as_finished():
    rows = [Row(i, "complete", 1.0 if i != 5 else 0.1, {"x": i}, 1.0) for i in range(40)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 40}}))["settled"]

    assert sentence.figure == "34" and "looks finished" in sentence.text


def test_a_recent_improvement_reads_as_worth_running_longer():
    rows = [Row(i, "complete", 100.0 - i, {"x": i}, 1.0) for i in range(40)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 40}}))["settled"]

    assert sentence.figure == "0"
    assert sentence.text.startswith("The latest trial set a new best") and "worth running longer" in sentence.text


def test_the_sentences_of_a_named_value_call_it_by_its_name():
    rows = [Row(i, "complete", 1.0 if i != 2 else 0.1, {"x": i}, 1.0) for i in range(11)]

    said = _by_key(sentences_of("minimize", facts_of("minimize", rows), {"x": {"type": "int", "low": 0, "high": 40}},
                                names=["validation loss"]))

    assert said["best"].text == "The best validation loss so far is 0.1 (lowest is best), from trial #2."
    assert said["settled"].text.startswith("The best validation loss has not improved in the last 8 trials")


def test_a_stretch_most_of_the_way_to_finished_does_not_read_as_still_finding():
    rows = [Row(i, "complete", 1.0 if i != 2 else 0.1, {"x": i}, 1.0) for i in range(11)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 40}}))["settled"]

    assert sentence.figure == "8"
    assert sentence.text == ("The best value has not improved in the last 8 trials, not yet enough to call the search "
                             "finished (that takes 10 without a better value): a few more trials will tell.")


def test_one_trial_after_the_first_ten_is_named_in_the_singular():
    rows = [Row(i, "complete", 1.0 if i != 2 else 0.1, {"x": i}, 1.0) for i in range(11)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 40}}))["first"]

    assert sentence.text == "The best came within the first 10 trials; the trial after them did not beat it."


def test_one_quick_pruned_trial_says_it_saved_little_time():
    rows = [Row(i, "complete", float(i), {"x": i}, 0.2) for i in range(4)] + [Row(4, "pruned", None, {"x": 4}, 0.1)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 9}}))["pruned"]

    assert sentence.text == ("1 trial was stopped early because it looked unpromising; a full trial takes under a "
                             "second here, so that saved little time.")
    assert sentence.figure == "1"


def test_many_pruned_trials_quicker_than_a_second_do_not_say_a_full_trial_takes_0_s():
    rows = [Row(i, "complete", float(i), {"x": i}, 0.3) for i in range(6)]
    rows += [Row(i, "pruned", None, {"x": i}, 0.25) for i in range(6, 60)]

    sentence = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 90}}))["pruned"]

    assert sentence.text == ("54 trials were stopped early because they looked unpromising; a full trial takes under "
                             "a second here, so that saved little time.")


def test_every_sentence_has_its_number():
    rows = [Row(i, "complete", float(i % 7), {"x": i, "k": "a" if i % 2 else "b"}, 5.0) for i in range(25)]
    space = {"x": {"type": "int", "low": 0, "high": 30}, "k": {"type": "categorical", "choices": ["a", "b"]}}

    sentences = summarise("minimize", rows, space, importance={"k": 0.7, "x": 0.3})

    assert all(sentence.figure for sentence in sentences)
    assert _by_key(sentences)["range"].text.endswith("mostly use k = b (2 of 3).")


def test_no_trials_and_several_objectives_say_so():
    assert summarise("minimize", [], {})[0].text == "No trial has finished with a value yet."
    assert "no single best" in summarise(None, [], {}, directions=["minimize", "maximize"])[0].text


def test_a_study_with_no_finished_trial_says_only_that():
    assert [sentence.text for sentence in summarise("minimize", [], {})] == ["No trial has finished with a value yet."]


def test_one_complete_trial_is_counted_in_the_singular():
    rows = [read.TrialRow(number=0, state="complete", value=0.5, params={"x": 1})]

    sentences = _by_key(summarise("minimize", rows, {"x": {"type": "int", "low": 0, "high": 20}}))

    assert sentences["settled"].text.startswith("Only 1 trial is complete: too few yet")


def test_when_every_finished_trial_broke_a_limit_it_says_so_and_what_to_do():
    rows = [read.TrialRow(number=i, state="complete", value=0.9, params={"x": i}, feasible=False) for i in range(12)]

    sentences = _by_key(summarise("maximize", rows, {"x": {"type": "int", "low": 0, "high": 20}}))

    assert sentences["best"].text.startswith("12 trials have finished, but none met every limit the study sets")
    assert "Loosen a limit" in sentences["best"].text and sentences["best"].figure == "0 of 12"
    assert "settled" not in sentences, "with no complete trial the sentence before says all there is"


def test_several_objectives_count_their_complete_trials():
    rows = [read.TrialRow(number=i, state=state, values=[0.1 * i, 1.0] if state == "complete" else None)
            for i, state in enumerate(["complete", "complete", "pruned", "complete"])]

    sentence = summarise(None, rows, {}, directions=["minimize", "maximize"])[0]

    assert sentence.text.startswith("3 trials are complete. With 2 objectives there is no single best")


def test_an_auto_study_names_its_parameters_in_words():
    space = {"estimator": {"type": "categorical", "choices": ["svm", "knn"]},
             "svm__C": {"type": "float", "low": 0.1, "high": 10.0, "condition": {"estimator": ["svm"]}}}
    rows = [Row(n, "complete", 0.9 - 0.01 * n, {"estimator": "svm", "svm__C": 1.0 + n}, 1.0) for n in range(6)]

    sentences = _by_key(summarise("maximize", rows, space, importance={"svm__C": 0.7, "estimator": 0.3}))

    assert sentences["importance"].text.startswith("What mattered most is C of support vector machine: it explains about 70%")
    assert "then the kind of model (30%)" in sentences["importance"].text
    assert sentences["range"].text == "The best 3 trials have C of support vector machine between 1 and 3."


AUTO_SPACE = {
    "estimator": {"type": "categorical", "choices": ["svm", "knn", "ridge"]},
    "svm__C": {"type": "float", "low": 0.01, "high": 100.0, "log": True, "condition": {"estimator": ["svm"]}},
    "svm__epsilon": {"type": "float", "low": 0.001, "high": 1.0, "log": True, "condition": {"estimator": ["svm"]}},
    "knn__n_neighbors": {"type": "int", "low": 1, "high": 30, "condition": {"estimator": ["knn"]}},
    "ridge__alpha": {"type": "float", "low": 0.001, "high": 10.0, "log": True, "condition": {"estimator": ["ridge"]}},
}
AUTO_ROWS = [Row(n, "complete", 0.9 - 0.01 * n, {"estimator": "svm", "svm__C": 1.0 + n, "svm__epsilon": 0.1}, 1.0)
             for n in range(6)]


def test_an_auto_study_whose_kind_of_model_mattered_most_names_the_setting_that_led_its_best_kind():
    importance = {"estimator": 0.7, "svm__epsilon": 0.2, "svm__C": 0.1}

    sentences = _by_key(summarise("maximize", AUTO_ROWS, AUTO_SPACE, importance=importance,
                                  leads={("estimator", "svm"): "svm__C"}))

    assert sentences["importance"].text == (
        "What mattered most is the kind of model: it explains about 70% of the variation in the value. The best "
        "trial's kind of model is support vector machine: of its settings, C mattered most.")


def test_an_auto_study_names_no_lead_of_a_best_kind_with_one_setting_which_leads_it_whatever_the_trials_say():
    rows = [Row(n, "complete", 0.9 - 0.01 * n, {"estimator": "ridge", "ridge__alpha": 1.0 + n}, 1.0) for n in range(6)]
    importance = {"estimator": 0.7, "svm__C": 0.2, "ridge__alpha": 0.1}

    sentences = _by_key(summarise("maximize", rows, AUTO_SPACE, importance=importance,
                                  leads={("estimator", "ridge"): "ridge__alpha"}))

    assert sentences["importance"].text == ("What mattered most is the kind of model: it explains about 70% of the "
                                            "variation in the value.")


def test_an_auto_study_says_when_the_trials_do_not_tell_which_setting_of_the_best_kind_matters():
    importance = {"estimator": 0.7, "svm__epsilon": 0.2, "svm__C": 0.1}

    sentences = _by_key(summarise("maximize", AUTO_ROWS, AUTO_SPACE, importance=importance, leads={}))

    assert sentences["importance"].text.endswith("The best trial's kind of model is support vector machine: the "
                                                 "trials so far do not tell which of its settings matters most.")
    assert "epsilon" not in sentences["importance"].text


def kind_decides(n=60):
    """(state, value, params) of random trials of `AUTO_SPACE` whose kind of model scores 0.8, 0.5
    or 0.2, support vector machines a little more with a larger C, epsilon doing nothing: the
    kind of model explains 98% of the variation, C 2% (law of total variance), maximised."""
    space, level = SearchSpace.from_json(AUTO_SPACE), {"svm": 0.8, "knn": 0.5, "ridge": 0.2}
    records = []
    for number in range(n):
        params = RandomSampler().sample(space, records, rng_for(0, number), ["maximize"])
        value = level[params["estimator"]] + (0.05 * np.log10(params["svm__C"]) if "svm__C" in params else 0.0)
        records.append(TrialRecord(number, params, "complete", value=float(value)))
    return [("complete", record.value, record.params) for record in records]


@pytest.mark.django_db
def test_on_a_study_where_the_kind_of_model_decides_the_value_the_summary_says_so(people):
    study = make_study(people["owner"], space=AUTO_SPACE, directions=["maximize"])
    add_trials(study, kind_decides())

    sentence = _by_key(study_summary(study))["importance"]

    assert int(sentence.figure.rstrip("%")) >= 95
    assert sentence.text.startswith("What mattered most is the kind of model: it explains about")
    assert sentence.text.endswith("The best trial's kind of model is support vector machine: of its settings, "
                                  "C mattered most.")


def test_the_best_range_names_only_a_parameter_every_best_trial_has():
    space = {"estimator": {"type": "categorical", "choices": ["svm", "knn"]},
             "svm__C": {"type": "float", "low": 0.1, "high": 10.0, "condition": {"estimator": ["svm"]}}}
    rows = [Row(n, "complete", 0.9 - 0.01 * n, {"estimator": "svm", "svm__C": 1.0 + n} if n % 2 else
                {"estimator": "knn"}, 1.0) for n in range(6)]

    sentences = _by_key(summarise("maximize", rows, space, importance={"svm__C": 0.7, "estimator": 0.3}))

    assert sentences["range"].text == "The best 3 trials mostly use the kind of model: nearest neighbours (2 of 3)."


def test_a_choice_the_best_trials_all_share_is_said_as_all():
    rows = [Row(i, "complete", float(i), {"k": "a" if i < 3 else "b"}, 1.0) for i in range(12)]

    sentence = _by_key(summarise("minimize", rows, {"k": {"type": "categorical", "choices": ["a", "b"]}}))["range"]

    assert sentence.text == "The best 3 trials all use k = a."


def test_best_trials_that_share_no_choice_are_not_said_to_mostly_use_one():
    space = {"estimator": {"type": "categorical", "choices": ["svm", "knn", "ridge"]}}
    rows = [Row(n, "complete", 0.9 - 0.01 * n, {"estimator": ("svm", "knn", "ridge")[n % 3]}, 1.0) for n in range(9)]

    sentence = _by_key(summarise("maximize", rows, space))["range"]

    assert sentence.text == "The best 3 trials differ in the kind of model: no choice is shared by most of them."


def test_the_pareto_front_is_worded_by_its_best_end_in_each_objective():
    values = [(0.9, 40.0), (0.8, 10.0), (0.7, 50.0), (0.95, 80.0), (0.85, 20.0)]

    sentence = front_sentence(range(5), values, ["maximize", "minimize"], ["accuracy", "latency_ms"])

    assert sentence.figure == "4"
    assert sentence.text == ("4 trials make up the Pareto front, the best trade-offs. Among them the best accuracy is "
                             "0.95 (trial #3, where latency_ms is 80); the best latency_ms is 10 (trial #1, where "
                             "accuracy is 0.8): pick the trade-off that suits you.")


def test_a_front_of_one_trial_names_it_as_the_one_to_use():
    sentence = front_sentence([0, 1], [(0.9, 10.0), (0.8, 20.0)], ["maximize", "minimize"], ["accuracy", "latency_ms"])

    assert sentence.text == ("Trial #0 is at least as good as every other trial on every objective (accuracy 0.9, "
                             "latency_ms 10): it is the one to use.")


def test_no_complete_trial_has_no_front_sentence():
    assert front_sentence([], [], ["maximize", "minimize"], ["objective 1", "objective 2"]) is None
