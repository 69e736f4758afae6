"""The summary says how many trials failed and why, in the words of their errors: a failure's
settings gave no value, and its reason is often the user's to fix before running more."""

import pytest

from studies.models import Trial
from studies.services.summary import failure_reason, study_summary
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}}
OUT_OF_MEMORY = 'Traceback (most recent call last):\n  File "train.py", line 9, in <module>\nRuntimeError: CUDA out of memory\n'


def _study_with_failures(owner, errors, n_complete=5):
    study = make_study(owner, space=SPACE)
    trials = add_trials(study, [("complete", 0.01 * i, {"x": 0.01 * i}) for i in range(n_complete)]
                        + [("failed", None, {"x": 0.5})] * len(errors))
    for trial, error in zip(trials[n_complete:], errors):
        Trial.objects.filter(pk=trial.pk).update(error=error)
    return study


def _failed_sentence(study):
    return next((sentence for sentence in study_summary(study) if sentence.key == "failed"), None)


def test_one_failed_trial_is_said_with_the_last_line_of_its_error(people):
    study = _study_with_failures(people["owner"], [OUT_OF_MEMORY])

    sentence = _failed_sentence(study)

    assert sentence.text == "1 trial failed: “RuntimeError: CUDA out of memory”. Its page shows the whole error."
    assert sentence.figure == "1"


def test_failures_with_one_reason_say_it_once(people):
    study = _study_with_failures(people["owner"], [OUT_OF_MEMORY] * 3)

    sentence = _failed_sentence(study)

    assert sentence.text == "3 trials failed, each with “RuntimeError: CUDA out of memory”."


def test_failures_with_several_reasons_name_the_most_common(people):
    lost = "worker lost: no heartbeat for 62 s"
    study = _study_with_failures(people["owner"], [OUT_OF_MEMORY, lost, OUT_OF_MEMORY])

    sentence = _failed_sentence(study)

    assert sentence.text == "3 trials failed; the most common reason, in 2 of them: “RuntimeError: CUDA out of memory”."


def test_a_study_with_no_failure_says_nothing_of_failures(people):
    study = _study_with_failures(people["owner"], [])

    assert _failed_sentence(study) is None


def test_the_failures_come_before_whether_the_search_has_settled(people):
    study = _study_with_failures(people["owner"], [OUT_OF_MEMORY], n_complete=12)

    keys = [sentence.key for sentence in study_summary(study)]

    assert keys[-2:] == ["failed", "settled"]


def test_a_long_reason_is_cut_to_one_readable_line():
    reason = failure_reason("ValueError: " + "x" * 500)

    assert len(reason) == 160 and reason.endswith("…")


def test_an_error_left_empty_reads_as_none_recorded():
    assert failure_reason("") == "no error was recorded"
