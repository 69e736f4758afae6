"""Re-checks as services: a built-in study's job measures its top trials on new folds, an external
study's code gets re-check trials by ask, and re-check trials never count in the study's results."""

import pytest

from studies import services
from studies.models import Recheck, Study, Trial
from studies.services import read, rechecks
from studies.services.errors import Conflict
from tests.roles import add_trials, iris_study, make_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(study):
    """The external `study`, finished: best trials #5 (0.0), then #4 and #6 (0.1 each)."""
    Trial.objects.filter(study=study, state=Trial.State.RUNNING).update(state=Trial.State.FAILED)
    Study.objects.filter(pk=study.pk).update(state=Study.State.COMPLETED)
    return study


def _run_every_recheck_trial(study, value_of):
    while Trial.objects.filter(study=study, state=Trial.State.WAITING).exists():
        trial = services.ask_trial(study.pk, worker="laptop")
        services.tell_trial(trial.pk, value=value_of(trial))


def test_the_job_measures_each_top_trial_once_per_repeat_on_new_folds(iris_study, people,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        recheck = rechecks.request_recheck(iris_study.pk, people["owner"], top_k=2, repeats=2)

    assert rechecks.recheck_trials(recheck.pk) == Recheck.State.READY

    recheck.refresh_from_db()
    assert set(recheck.fresh) == {"1", "0"} and all(len(values) == 2 for values in recheck.fresh.values())
    assert all(0.5 < value <= 1.0 for values in recheck.fresh.values() for value in values)


def test_a_duplicate_delivery_of_the_job_does_nothing(iris_study, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        recheck = rechecks.request_recheck(iris_study.pk, people["owner"], top_k=1, repeats=1)
    rechecks.recheck_trials(recheck.pk)

    assert rechecks.recheck_trials(recheck.pk) is None


def test_a_benchmark_function_cannot_be_re_checked(people):
    function = make_study(people["owner"], objective={"kind": "function", "name": "sphere"}, state="completed")
    add_trials(function, [("complete", 0.5, {"x": 0.1, "y": 0.1})])

    with pytest.raises(Conflict):
        rechecks.request_recheck(function.pk, people["owner"])


def test_a_study_without_a_complete_trial_cannot_be_re_checked(people):
    empty = make_study(people["owner"], state="completed")

    with pytest.raises(Conflict):
        rechecks.request_recheck(empty.pk, people["owner"])
    assert Recheck.objects.count() == 0


def test_a_finished_external_study_hands_out_its_re_check_trials_by_ask(finished, people):
    rechecks.request_recheck(finished.pk, people["owner"], top_k=2, repeats=2)

    handed = services.ask_trial(finished.pk, worker="laptop")

    assert handed.origin == Trial.Origin.RECHECK and handed.state == Trial.State.RUNNING
    assert handed.params == handed.rechecks.params


def test_an_external_re_check_is_running_until_every_trial_is_told_then_ready(finished, people):
    rechecks.request_recheck(finished.pk, people["owner"], top_k=2, repeats=2)
    assert rechecks.recheck_of(finished)["state"] == "running"

    _run_every_recheck_trial(finished, lambda trial: {5: 0.30, 4: 0.10}[trial.rechecks.number]
                             + 0.01 * (trial.number % 2))

    body = rechecks.recheck_of(finished)
    assert body["state"] == "ready" and body["robust_best"] == 4
    assert [row["number"] for row in body["trials"]] == [4, 5] and body["trials"][0]["mean"] == pytest.approx(0.105)
    assert body["sentence"].startswith("#4 is better than #5")


def test_once_every_re_check_trial_ran_ask_says_the_study_is_finished_again(finished, people):
    rechecks.request_recheck(finished.pk, people["owner"], top_k=1, repeats=1)
    _run_every_recheck_trial(finished, lambda trial: 0.2)

    with pytest.raises(Conflict):
        services.ask_trial(finished.pk, worker="laptop")


def test_the_sampler_history_leaves_re_check_trials_out(finished, people):
    before = read.trial_records(finished)
    rechecks.request_recheck(finished.pk, people["owner"], top_k=2, repeats=2)
    _run_every_recheck_trial(finished, lambda trial: -5.0)

    assert read.trial_records(finished) == before


def test_a_lucky_re_check_trial_never_becomes_the_study_best(finished, people):
    rechecks.request_recheck(finished.pk, people["owner"], top_k=1, repeats=2)
    _run_every_recheck_trial(finished, lambda trial: -5.0)

    assert read.best_trial(finished).number == 5
    assert read.with_summary(Study.objects.filter(pk=finished.pk)).get().value_min == 0.0
    assert read.summarize(Study.objects.get(pk=finished.pk)).value_min == 0.0


def test_a_lost_job_is_resent_by_the_reconciler(iris_study, people, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone
    with django_capture_on_commit_callbacks():
        recheck = rechecks.request_recheck(iris_study.pk, people["owner"], top_k=1, repeats=1)
    Recheck.objects.filter(pk=recheck.pk).update(sent_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks() as sent:
        resent, failed = rechecks.repair(timezone.now())

    assert (resent, failed) == (1, 0) and len(sent) == 1


def test_a_re_check_that_would_outlast_a_job_is_refused_up_front(iris_study, people, settings):
    settings.TUNER_TRIAL_SOFT_TIME_LIMIT_S = 60
    Trial.objects.filter(study=iris_study).update(details={"fit_time_s": 2.0})

    with pytest.raises(Conflict, match="fewer trials or fewer times"):
        rechecks.request_recheck(iris_study.pk, people["owner"], top_k=2, repeats=10)
    assert Recheck.objects.count() == 0



def test_an_optuna_export_leaves_re_check_trials_out(finished, people, tmp_path):
    optuna = pytest.importorskip("optuna")
    from studies.services import optuna_io

    rechecks.request_recheck(finished.pk, people["owner"], top_k=1, repeats=2)
    _run_every_recheck_trial(finished, lambda trial: 0.2)
    path = tmp_path / "exported.log"
    path.write_bytes(optuna_io.export_optuna(finished.pk))

    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    exported = optuna.load_study(storage=storage, study_name=finished.name)
    assert len(exported.trials) == 11 and 0.2 not in [t.value for t in exported.trials]


def test_when_every_re_check_trial_failed_the_re_check_says_so_and_names_no_best(finished, people):
    rechecks.request_recheck(finished.pk, people["owner"], top_k=2, repeats=1)
    while Trial.objects.filter(study=finished, state=Trial.State.WAITING).exists():
        services.tell_trial(services.ask_trial(finished.pk).pk, state=Trial.State.FAILED, error="out of memory")

    body = rechecks.recheck_of(finished)

    assert body["state"] == "ready" and body["trials"] == [] and body["robust_best"] is None
    assert body["sentence"] == rechecks.NO_VALUE


def test_a_re_check_trial_whose_code_went_silent_is_reaped_and_the_re_check_ends_without_it(finished, people):
    from datetime import timedelta

    from django.utils import timezone

    from studies.services.reaper import reap_stale_trials
    rechecks.request_recheck(finished.pk, people["owner"], top_k=1, repeats=3)
    silent = services.ask_trial(finished.pk, worker="laptop")
    _run_every_recheck_trial(finished, lambda trial: 0.1 + trial.number / 100)

    reap_stale_trials(timezone.now() + timedelta(hours=1))

    body = rechecks.recheck_of(finished)
    assert Trial.objects.get(pk=silent.pk).state == Trial.State.FAILED
    assert body["state"] == "ready" and body["trials"][0]["n"] == 2
