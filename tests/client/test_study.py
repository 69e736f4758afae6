"""The client library against the real server (pytest-django's live_server)."""

import os
import socket
import time

import pytest
import tuner_client
from tuner_client.study import INTERRUPTED

from studies.models import Study, Trial, TrialReport
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connect(server, token):
    def connect_(study_id, **options):
        return tuner_client.Study(server, study_id=study_id, token=token, **options)

    return connect_


def test_ask_report_tell_records_the_trial_and_its_reports(make_study, connect):
    study = connect(make_study())

    trial = study.ask()
    trial.report(0, 0.5)
    trial.report(1, 0.7)
    stored = trial.tell(0.75)

    row = Trial.objects.get(pk=trial.id)
    assert (row.state, row.value, stored["state"]) == ("complete", 0.75, "complete")
    assert 0.0 <= trial.params["x"] <= 1.0
    assert list(TrialReport.objects.filter(trial=row).values_list("step", "value")) == [(0, 0.5), (1, 0.7)]


def test_ask_names_the_worker_as_host_and_pid(make_study, connect):
    trial = connect(make_study()).ask()

    assert Trial.objects.get(pk=trial.id).worker == f"{socket.gethostname()}:{os.getpid()}"


def test_trials_ends_cleanly_when_the_budget_is_spent(make_study, connect):
    study = connect(make_study(budget={"n_trials": 3}))

    numbers = []
    for trial in study.trials(n=10):
        numbers.append(trial.number)
        trial.tell(trial.params["x"])

    assert numbers == [0, 1, 2]
    assert study.stopped_because, "the server's reason for the 409 is kept"
    assert Study.objects.get(pk=study.id).state == "completed"


def test_trials_stops_after_n(make_study, connect):
    study = connect(make_study())

    told = [trial.tell(1.0)["number"] for trial in study.trials(n=2)]

    assert told == [0, 1] and study.stopped_because is None


def test_an_exception_in_the_with_block_fails_the_trial_with_the_traceback_and_propagates(make_study, connect):
    study = connect(make_study())

    with pytest.raises(ZeroDivisionError):
        with study.ask() as trial:
            1 / 0

    row = Trial.objects.get(pk=trial.id)
    assert row.state == "failed"
    assert "Traceback" in row.error and "ZeroDivisionError: division by zero" in row.error


def test_ctrl_c_in_the_with_block_fails_the_trial_as_interrupted_and_a_study_that_retries_runs_its_params_again(
        make_study, connect):
    study = connect(make_study(retry_failed=1))

    with pytest.raises(KeyboardInterrupt):
        with study.ask() as trial:
            raise KeyboardInterrupt

    row, retry = Trial.objects.filter(study_id=study.id).order_by("number")
    assert (row.state, row.error) == ("failed", INTERRUPTED)
    assert (retry.state, retry.origin, retry.params) == ("waiting", "retry", trial.params)


def test_pruned_in_the_with_block_tells_pruned_and_the_loop_goes_on(make_study, connect, api):
    study_id = make_study(pruner={"name": "median", "n_startup_trials": 2}, budget={"n_trials": 3})
    for x in (0.9, 0.8, 0.1):  # asked in this order: two good trials, then a poor one
        api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": x}}, format="json")
    study = connect(study_id)

    pruned = []
    for trial in study.trials():
        with trial:
            try:
                trial.report(0, trial.params["x"])
            except tuner_client.Pruned:
                pruned.append(trial.number)
                raise
            trial.tell(trial.params["x"])

    states = dict(Trial.objects.filter(study_id=study_id).values_list("number", "state"))
    assert pruned == [2]
    assert states == {0: "complete", 1: "complete", 2: "pruned"}
    assert Trial.objects.get(study_id=study_id, number=2).value == 0.1, "a pruned trial keeps its last value"


def test_pruned_escaping_a_bare_loop_still_tells_the_trial_pruned(make_study, connect, api):
    study_id = make_study(pruner={"name": "median", "n_startup_trials": 1})
    api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": 0.9}, "value": 0.9}, format="json")
    Trial.objects.get(study_id=study_id).reports.create(step=0, value=0.9)  # a finished trial to compare with

    with pytest.raises(tuner_client.Pruned):
        for trial in connect(study_id).trials():
            trial.report(0, 0.1)
            trial.tell(0.1)

    assert Trial.objects.get(pk=trial.id).state == "pruned"


def test_a_trial_left_untold_by_the_loop_is_failed(make_study, connect):
    study = connect(make_study())

    for trial in study.trials(n=1):
        pass

    row = Trial.objects.get(pk=trial.id)
    assert row.state == "failed" and "without telling" in row.error


def test_an_open_trial_sends_heartbeats_until_told(make_study, connect):
    study = connect(make_study(), heartbeat_interval_s=0.2)
    trial = study.ask()
    asked_at = Trial.objects.get(pk=trial.id).heartbeat_at

    beat_at = wait_for(lambda: _later_heartbeat(trial.id, asked_at), timeout_s=10, interval_s=0.1)
    trial.tell(0.5)
    time.sleep(0.5)

    assert beat_at > asked_at
    assert not trial._heartbeat._thread.is_alive(), "the heartbeat stops with the tell"


def _later_heartbeat(trial_id, than):
    beat_at = Trial.objects.get(pk=trial_id).heartbeat_at
    return beat_at if beat_at > than else None


def test_a_bad_token_raises_auth_error_with_the_servers_message(make_study, server):
    study = tuner_client.Study(server, study_id=make_study(), token="not-a-token")

    with pytest.raises(tuner_client.AuthError) as caught:
        study.ask()

    assert caught.value.status == 401 and caught.value.message == "Invalid token."


def test_another_users_study_raises_not_found(make_study, server, outsider):
    from tests.api_keys import api_key_for

    study = tuner_client.Study(server, study_id=make_study(), token=api_key_for(outsider))

    with pytest.raises(tuner_client.NotFound):
        study.ask()


def test_a_refused_step_raises_bad_request_naming_the_field(make_study, connect):
    trial = connect(make_study()).ask()

    with pytest.raises(tuner_client.BadRequest, match=r"^step: "):
        trial.report(-1, 0.5)


def test_a_nan_value_is_refused_before_it_is_sent(make_study, connect):
    trial = connect(make_study()).ask()

    with pytest.raises(ValueError, match="finite"):
        trial.report(0, float("nan"))


def test_a_different_second_tell_raises_conflict(make_study, connect):
    trial = connect(make_study()).ask()
    trial.tell(0.5)

    with pytest.raises(tuner_client.Conflict, match="already complete"):
        trial.tell(0.6)


def test_create_makes_a_study_from_a_spec_ready_to_ask(server, token):
    spec = {"name": "from code", "objective": {"kind": "external"}, "budget": {"n_trials": 3},
            "search_space": {"x": {"type": "float", "low": 0.0, "high": 1.0}}}

    study = tuner_client.Study.create(spec, server, token)
    trial = study.ask()

    row = Study.objects.get(pk=study.id)
    assert (row.name, row.n_trials, row.owner.username) == ("from code", 3, "owner")
    assert Trial.objects.get(pk=trial.id).study_id == study.id


def test_create_raises_bad_request_naming_the_field_and_stores_nothing(server, token):
    spec = {"name": "bad", "objective": {"kind": "external"},
            "search_space": {"x": {"type": "float", "low": 2, "high": 1}}}

    with pytest.raises(tuner_client.BadRequest, match="search_space"):
        tuner_client.Study.create(spec, server, token)

    assert not Study.objects.exists()


def test_run_more_lets_the_same_loop_go_on_after_the_budget_was_spent(make_study, connect):
    study = connect(make_study(budget={"n_trials": 2}))
    for trial in study.trials():
        trial.tell(trial.params["x"])

    answer = study.run_more(3)
    numbers = [trial.number for trial in study.trials() if trial.tell(trial.params["x"])]

    assert answer["state"] == "running"
    assert numbers == [2, 3, 4]
    assert Study.objects.get(pk=study.id).state == "completed"


def test_run_more_of_a_running_study_raises_conflict_with_the_servers_reason(make_study, connect):
    study = connect(make_study())
    study.ask()

    with pytest.raises(tuner_client.Conflict, match="only a completed or stopped study"):
        study.run_more(3)


def test_change_budget_raises_the_count_of_a_running_study(make_study, connect):
    study = connect(make_study(budget={"n_trials": 2}))
    study.ask()

    answer = study.change_budget(n_trials=40)

    assert answer["budget"]["n_trials"] == 40
    assert Study.objects.get(pk=study.id).n_trials == 40


def test_change_budget_below_the_trials_made_raises_bad_request_naming_the_field(make_study, connect):
    study = connect(make_study(budget={"n_trials": 10}))
    study.ask()
    study.ask()

    with pytest.raises(tuner_client.BadRequest, match="budget.n_trials"):
        study.change_budget(n_trials=1)


def test_start_pause_resume_and_stop_change_the_studys_state(make_study, connect):
    study = connect(make_study())

    states = [study.start()["state"], study.pause()["state"], study.resume()["state"], study.stop()["state"]]

    assert states == ["running", "paused", "running", "stopped"]
    assert Study.objects.get(pk=study.id).state == "stopped"


def test_pause_of_a_study_not_running_raises_conflict_with_the_servers_reason(make_study, connect):
    study = connect(make_study())

    with pytest.raises(tuner_client.Conflict):
        study.pause()

    assert Study.objects.get(pk=study.id).state == "created"


def test_wait_returns_once_the_study_has_finished(make_study, connect):
    study = connect(make_study(budget={"n_trials": 1}))
    study.start()
    study.ask().tell(0.5)

    info = study.wait(poll_s=0.1, timeout_s=10)

    assert (info["state"], info["best_trial"]["value"]) == ("completed", 0.5)


def test_wait_past_its_timeout_raises_and_leaves_the_study_running(make_study, connect):
    study = connect(make_study())
    study.start()

    with pytest.raises(TimeoutError, match="still running"):
        study.wait(poll_s=0.1, timeout_s=0.3)

    assert Study.objects.get(pk=study.id).state == "running"
