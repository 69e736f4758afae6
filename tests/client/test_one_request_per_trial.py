"""`Study.trials(ask_next=True)` (and so tuner-agent) asks for the next trial with each tell (the
server's `ask_next`): one request per trial, against the real server (pytest-django's live_server).
Without it, the loop asks separately, and a break never leaves a trial handed out unrun."""

import pytest
import tuner_client

from studies.models import Trial

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connect(server, token):
    def connect_(study_id, **options):
        return tuner_client.Study(server, study_id=study_id, token=token, heartbeat_interval_s=60, **options)

    return connect_


def count_requests(study, answer_without_ask_next=False):
    """Note each request the study's transport sends as "METHOD path-end"; with
    `answer_without_ask_next`, send tells as a server without ask_next would read them."""
    sent, request = [], study.transport.request

    def counted(method, path, body=None, **options):
        sent.append(f"{method} {path.rstrip('/').rsplit('/', 1)[-1]}")
        if answer_without_ask_next and isinstance(body, dict):
            body = {key: value for key, value in body.items() if key != "ask_next"}
        return request(method, path, body, **options)

    study.transport.request = counted
    return sent


def test_the_trials_loop_sends_one_request_per_trial(make_study, connect):
    study = connect(make_study(budget={"n_trials": 5}))
    sent = count_requests(study)

    for trial in study.trials(ask_next=True):
        trial.tell(trial.params["x"])

    assert sent == ["POST ask"] + ["POST tell"] * 5
    assert "budget exhausted" in study.stopped_because
    rows = Trial.objects.filter(study_id=study.id)
    assert sorted(rows.values_list("state", flat=True)) == ["complete"] * 5
    assert set(rows.values_list("worker", flat=True)) == {study.worker}


def test_a_with_block_closing_the_trial_asks_for_the_next_too(make_study, connect, api):
    study_id = make_study(pruner={"name": "median", "n_startup_trials": 2}, budget={"n_trials": 3})
    for x in (0.9, 0.8, 0.1):
        api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": x}}, format="json")
    study = connect(study_id)
    sent = count_requests(study)

    for trial in study.trials(ask_next=True):
        with trial:
            trial.report(0, trial.params["x"])  # the third is pruned; the with-block tells it so
            trial.tell(trial.params["x"])

    assert sent == ["POST ask"] + ["POST report", "POST tell"] * 3
    states = dict(Trial.objects.filter(study_id=study_id).values_list("number", "state"))
    assert states == {0: "complete", 1: "complete", 2: "pruned"}


def test_by_default_the_loop_asks_separately(make_study, connect):
    study = connect(make_study(budget={"n_trials": 3}))
    sent = count_requests(study)

    for trial in study.trials():
        trial.tell(1.0)

    assert sent == ["POST ask", "POST tell"] * 3 + ["POST ask"]
    assert Trial.objects.filter(study_id=study.id, state="complete").count() == 3


def test_against_a_server_without_ask_next_the_loop_asks_separately(make_study, connect):
    study = connect(make_study(budget={"n_trials": 3}))
    sent = count_requests(study, answer_without_ask_next=True)

    numbers = []
    for trial in study.trials(ask_next=True):
        numbers.append(trial.number)
        trial.tell(1.0)

    assert numbers == [0, 1, 2]
    assert sent == ["POST ask", "POST tell"] * 3 + ["POST ask"]


def test_the_loop_asks_for_no_trial_past_n(make_study, connect):
    study = connect(make_study())

    for trial in study.trials(n=2, ask_next=True):
        trial.tell(1.0)

    assert Trial.objects.filter(study_id=study.id).count() == 2


def test_a_loop_left_with_break_after_a_tell_fails_the_trial_it_was_handed(make_study, connect):
    study = connect(make_study())

    for trial in study.trials(ask_next=True):
        trial.tell(1.0)
        break

    states = dict(Trial.objects.filter(study_id=study.id).values_list("number", "state"))
    assert states == {0: "complete", 1: "failed"}
    assert Trial.objects.get(study_id=study.id, number=1).error.startswith("not run")


def test_a_default_loop_left_with_break_leaves_no_trial_behind(make_study, connect):
    study = connect(make_study())

    for trial in study.trials():
        trial.tell(1.0)
        break

    assert list(Trial.objects.filter(study_id=study.id).values_list("state", flat=True)) == ["complete"]


def test_an_error_leaving_the_loop_asks_for_no_next_trial(make_study, connect):
    study = connect(make_study())

    with pytest.raises(ZeroDivisionError):
        for trial in study.trials(ask_next=True):
            with trial:
                1 / 0

    assert list(Trial.objects.filter(study_id=study.id).values_list("state", flat=True)) == ["failed"]


def test_the_loops_attrs_reach_every_trial_handed_out_with_a_tell(make_study, connect):
    study = connect(make_study(budget={"n_trials": 3}))

    for trial in study.trials(attrs={"commit": "3f2a1c9"}, ask_next=True):
        trial.tell(1.0)

    attrs = list(Trial.objects.filter(study_id=study.id).values_list("attrs", flat=True))
    assert attrs == [{"commit": "3f2a1c9"}] * 3
