"""`tuner-agent` runs a script written by the test as trials, against the real server."""

import re
import signal
import socket
import sys

import pytest

from studies.models import Study, Trial, TrialReport
from studies.services.trials import NEXT_KEY
from tuner_client.study import INTERRUPTED
from tests.client.fixtures import finish, pid_alive
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

QUADRATIC = """
    import json, os, sys, time
    x = float(sys.argv[1])  # from the {x} placeholder
    assert float(os.environ["TUNER_PARAM_X"]) == x == json.loads(os.environ["TUNER_PARAMS"])["x"]
    for step in range(3):
        print(f"tuner: step={step} value={(x - 0.3) ** 2 + 1 / (step + 1)}")
        time.sleep(0.05)
    print(f"tuner: value={(x - 0.3) ** 2}")
"""


def test_two_agents_in_parallel_run_10_trials_of_one_study(make_study, write_script, start_agent):
    study_id = make_study(direction="minimize", budget={"n_trials": 10})
    script = write_script(QUADRATIC)

    agents = [start_agent(study_id, [sys.executable, str(script), "{x}"]) for _ in range(2)]
    results = [finish(agent) for agent in agents]

    trials = list(Trial.objects.filter(study_id=study_id).order_by("number"))
    assert [code for code, _, _ in results] == [0, 0], results
    assert [t.number for t in trials] == list(range(10))
    assert {t.state for t in trials} == {"complete"}
    assert all(t.value == pytest.approx((t.params["x"] - 0.3) ** 2) for t in trials)
    assert TrialReport.objects.filter(trial__study_id=study_id).count() == 30
    assert {t.worker for t in trials} == {f"{socket.gethostname()}:{agent.pid}" for agent in agents}, "both took part"
    assert Study.objects.get(pk=study_id).state == "completed"
    assert all("best so far" in stderr for _, _, stderr in results)


def test_the_agent_is_handed_each_next_trial_with_its_last_tell(make_study, write_script, start_agent):
    study_id = make_study(direction="minimize", budget={"n_trials": 4})
    script = write_script(QUADRATIC)

    code, _, stderr = finish(start_agent(study_id, [sys.executable, str(script), "{x}"]))

    keys = list(Trial.objects.filter(study_id=study_id).order_by("number").values_list("request_key", flat=True))
    assert code == 0, stderr
    assert [key.startswith(NEXT_KEY) for key in keys] == [False, True, True, True], "one request per trial after the first"


def test_the_agent_streams_the_commands_output(make_study, write_script, start_agent):
    script = write_script("print('hello from the trial'); print('tuner: value=1.5')")

    code, stdout, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    assert code == 0
    assert "hello from the trial" in stdout
    assert re.search(r"trial 0 complete, value 1\.5 \| 1 done by this agent \| best so far 1\.5 \(trial 0\)", stderr)


def test_a_poor_trial_is_pruned_by_the_server_and_the_agent_kills_it(
    make_study, api, write_script, start_agent, tmp_path
):
    study_id = make_study(pruner={"name": "median", "n_startup_trials": 2}, budget={"n_trials": 3})
    for x in (0.9, 0.8, 0.1):  # handed out in this order: two good trials, then one below their median
        api.post(f"/api/studies/{study_id}/trials/", {"params": {"x": x}}, format="json")
    script = write_script(f"""
        import os, sys, time
        x = float(sys.argv[1])
        open(os.path.join({str(tmp_path)!r}, "pid-%s" % x), "w").write(str(os.getpid()))
        for step in range(3):
            print(f"tuner: step={{step}} value={{x}}")
            time.sleep(0.05 if x > 0.5 else 60)  # the poor trial would run for minutes
        print(f"tuner: value={{x}}")
    """)

    code, _, stderr = finish(start_agent(study_id, [sys.executable, str(script), "{x}"]), timeout_s=30)

    states = dict(Trial.objects.filter(study_id=study_id).values_list("number", "state"))
    assert code == 0, stderr
    assert states == {0: "complete", 1: "complete", 2: "pruned"}
    assert "trial 2 pruned at step 0; stopping the command" in stderr
    assert not pid_alive(int((tmp_path / "pid-0.1").read_text())), "the pruned command was killed"


def test_a_failing_command_fails_the_trial_with_the_tail_of_its_stderr(make_study, write_script, start_agent):
    script = write_script("""
        import sys
        print("loading data", file=sys.stderr)
        raise SystemExit("CUDA out of memory")
    """)

    code, _, _ = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get()
    assert code == 0
    assert trial.state == "failed"
    assert trial.error.startswith("the command exited with code 1")
    assert "loading data\nCUDA out of memory" in trial.error


def test_a_command_killed_by_a_signal_fails_the_trial_naming_the_signal(make_study, write_script, start_agent):
    script = write_script("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")

    code, _, _ = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get()
    assert code == 0
    assert (trial.state, trial.error.splitlines()[0]) == ("failed", "the command was killed by signal SIGSEGV")


def test_a_program_that_is_not_there_fails_the_trial_saying_it_cannot_be_run(make_study, start_agent):
    code, _, _ = finish(start_agent(make_study(), ["no-such-training-program", "--lr", "{x}"], "--count", "1"))

    trial = Trial.objects.get()
    assert code == 0
    assert trial.state == "failed"
    assert trial.error.startswith("cannot run 'no-such-training-program': ")


def test_a_command_that_prints_no_result_fails_the_trial(make_study, write_script, start_agent):
    script = write_script("print('tuner: step=0 value=0.5')")

    finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get()
    assert trial.state == "failed" and "printed no result line" in trial.error


def test_the_agent_says_why_a_trial_failed_in_one_line(make_study, write_script, start_agent):
    script = write_script("""
        import sys
        print("val_loss: 0.21")
        print("loading data", file=sys.stderr)
    """)

    _, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    assert "trial 0 failed: the command printed no result line such as 'tuner: value=0.93' | 1 done" in stderr


def test_the_agent_tells_one_value_per_objective_of_a_study_with_several(make_study, write_script, start_agent):
    study_id = make_study(direction=None, directions=["minimize", "maximize"], budget={"n_trials": 3})
    script = write_script("""
        import sys
        x = float(sys.argv[1])
        print(f"tuner: values={x},{1 - x * x}")
    """)

    code, _, stderr = finish(start_agent(study_id, [sys.executable, str(script), "{x}"]))

    trials = list(Trial.objects.filter(study_id=study_id).order_by("number"))
    assert code == 0, stderr
    assert [t.state for t in trials] == ["complete"] * 3
    assert all(t.values == pytest.approx([t.params["x"], 1 - t.params["x"] ** 2]) for t in trials)
    assert re.search(r"trial 0 complete, values [-0-9.e]+, [-0-9.e]+ \| 1 done by this agent", stderr)


def test_one_value_printed_for_a_study_with_two_objectives_fails_the_trial_saying_how_to_print_both(
    make_study, write_script, start_agent
):
    study_id = make_study(direction=None, directions=["minimize", "maximize"], budget={"n_trials": 3})
    script = write_script("print('tuner: value=0.5')")

    code, _, stderr = finish(start_agent(study_id, [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get(study_id=study_id)
    assert code == 0, stderr
    assert trial.state == "failed"
    assert trial.error == ("the command printed 1 value, but this study has 2 objectives (minimize, maximize): print one "
                           "number per objective, in that order, on one line such as 'tuner: values=0.93,41.2'")
    assert "trial 0 failed: the command printed 1 value, but this study has 2 objectives" in stderr


def test_values_printed_for_a_study_with_one_objective_fail_the_trial(make_study, write_script, start_agent):
    script = write_script("print('tuner: values=0.5,2')")

    finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get()
    assert trial.state == "failed"
    assert trial.error == "the command printed 2 values, but this study has one objective: print 'tuner: value=0.93'"


def test_metrics_can_come_from_a_json_lines_file(make_study, write_script, start_agent, tmp_path):
    script = write_script("""
        import json, os
        with open(os.environ["TUNER_METRICS_FILE"], "a") as out:
            for step, value in enumerate([0.2, 0.4]):
                out.write(json.dumps({"step": step, "value": value}) + "\\n")
            out.write(json.dumps({"value": 0.45}))  # a last line without a newline counts too
    """)
    metrics = tmp_path / "metrics-{trial_number}.jsonl"

    code, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1",
                                         "--metrics-file", str(metrics)))

    trial = Trial.objects.get()
    assert code == 0, stderr
    assert (trial.state, trial.value) == ("complete", 0.45)
    assert list(TrialReport.objects.values_list("step", "value")) == [(0, 0.2), (1, 0.4)]
    assert (tmp_path / "metrics-0.jsonl").exists()


def test_a_malformed_metric_line_is_reported_and_skipped(make_study, write_script, start_agent):
    script = write_script("print('tuner: vlaue=0.3'); print('tuner: value=0.4')")

    code, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    assert code == 0
    assert "ignored: unknown key 'vlaue'" in stderr
    assert Trial.objects.get().value == 0.4


@pytest.mark.parametrize("sigint_ignored", [False, True], ids=["foreground", "started-with-ctrl-c-ignored"])
def test_ctrl_c_tells_the_running_trial_failed_interrupted_and_exits(make_study, write_script, start_agent, tmp_path,
                                                                   sigint_ignored):
    script = write_script(f"""
        import os, time
        open(os.path.join({str(tmp_path)!r}, "pid"), "w").write(str(os.getpid()))
        print("tuner: step=0 value=0.1")
        time.sleep(60)
    """)
    agent = start_agent(make_study(), [sys.executable, str(script)], sigint_ignored=sigint_ignored)
    wait_for(lambda: TrialReport.objects.exists(), timeout_s=20)

    agent.send_signal(signal.SIGINT)
    code, _, stderr = finish(agent, timeout_s=20)

    trial = Trial.objects.get()
    assert code == 130
    assert (trial.state, trial.error) == ("failed", INTERRUPTED)
    assert not pid_alive(int((tmp_path / "pid").read_text())), "the command was stopped with the agent"
    assert "Traceback" not in stderr


def test_an_agent_stopped_with_sigterm_mid_trial_has_the_params_run_again_when_the_study_retries(
        make_study, write_script, start_agent):
    # A spot machine reclaimed, a scheduler's time limit: a clean stop must not lose the params
    # that a killed agent's trial (reaped, then retried) keeps.
    script = write_script("""
        import time
        print("tuner: step=0 value=0.1")
        time.sleep(60)
    """)
    study_id = make_study(retry_failed=1)
    agent = start_agent(study_id, [sys.executable, str(script)])
    wait_for(lambda: TrialReport.objects.exists(), timeout_s=20)

    agent.send_signal(signal.SIGTERM)
    code, _, _ = finish(agent, timeout_s=20)

    stopped, retry = Trial.objects.filter(study_id=study_id).order_by("number")
    assert code == 130
    assert (stopped.state, stopped.error) == ("failed", INTERRUPTED)
    assert (retry.state, retry.origin, retry.params) == ("waiting", "retry", stopped.params)


def test_a_bad_token_prints_one_clear_line_and_exits_non_zero(make_study, write_script, start_agent):
    script = write_script("print('tuner: value=1')")

    code, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], token_="wrong-token"))

    assert code == 1
    assert stderr.strip().splitlines() == [
        "tuner-agent: error: the server refused the token (Invalid token.); check --token or TUNER_TOKEN"
    ]
    assert not Trial.objects.exists()


def test_placeholders_fill_every_param_and_leave_other_braces_alone(make_study, api, write_script, start_agent):
    space = {"lr": {"type": "float", "low": 0.001, "high": 0.1, "log": True},
             "kernel": {"type": "categorical", "choices": ["rbf", "poly"]}}
    study_id = make_study(search_space=space)
    api.post(f"/api/studies/{study_id}/trials/", {"params": {"lr": 0.01, "kernel": "poly"}}, format="json")
    script = write_script("""
        import json, os, sys
        print("args", json.dumps(sys.argv[1:]))
        print("env", os.environ["TUNER_PARAM_LR"], os.environ["TUNER_PARAM_KERNEL"])
        print("tuner: value=1")
    """)

    code, stdout, _ = finish(start_agent(study_id, [sys.executable, str(script), "--lr={lr}", "{kernel}", "${HOME}",
                                                    "{unknown}", "{trial_number}"], "--count", "1"))

    assert code == 0
    assert 'args ["--lr=0.01", "poly", "${HOME}", "{unknown}", "0"]' in stdout
    assert "env 0.01 poly" in stdout


def test_metric_and_attr_lines_are_recorded_on_the_trial(make_study, write_script, start_agent):
    script = write_script("""
        print("tuner: attr commit=3f2a1c9")
        print("tuner: metric epoch_time_s=1.5")
        print("tuner: step=0 value=0.4")
        print("tuner: metric epoch_time_s=2.5")
        print("tuner: metric model_mb=41")
        print("tuner: value=0.5")
    """)

    code, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get()
    assert code == 0, stderr
    assert trial.state == "complete"
    assert trial.attrs == {"commit": "3f2a1c9"}
    assert trial.metrics == {"epoch_time_s": 2.5, "model_mb": 41.0}


def test_metrics_and_attrs_can_come_from_the_metrics_file(make_study, write_script, start_agent, tmp_path):
    script = write_script("""
        import json, os
        with open(os.environ["TUNER_METRICS_FILE"], "a") as out:
            out.write(json.dumps({"attrs": {"tags": ["gpu", "fp16"]}, "metrics": {"model_mb": 41}}) + "\\n")
            out.write(json.dumps({"value": 0.5}) + "\\n")
    """)

    code, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1",
                                         "--metrics-file", str(tmp_path / "m.jsonl")))

    trial = Trial.objects.get()
    assert code == 0, stderr
    assert (trial.attrs, trial.metrics) == ({"tags": ["gpu", "fp16"]}, {"model_mb": 41.0})


def test_constraint_lines_are_recorded_on_the_trial(make_study, write_script, start_agent):
    script = write_script("""
        print("tuner: constraint 0.3")
        print("tuner: constraint -1")
        print("tuner: value=0.5")
    """)

    code, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script)], "--count", "1"))

    trial = Trial.objects.get()
    assert code == 0, stderr
    assert (trial.constraints, trial.feasible) == ([0.3, -1.0], False)


def test_an_agent_that_spent_the_budget_says_how_to_go_on(make_study, write_script, start_agent):
    study_id = make_study(direction="minimize", budget={"n_trials": 2})
    script = write_script(QUADRATIC)

    code, _, stderr = finish(start_agent(study_id, [sys.executable, str(script), "{x}"]))

    assert code == 0, stderr
    assert "budget exhausted" in stderr
    assert "to go on from here: 'Run more trials' on the study's page (or study.run_more(n))" in stderr


def test_an_agent_that_ran_its_count_does_not_speak_of_running_more(make_study, write_script, start_agent):
    script = write_script(QUADRATIC)

    _, _, stderr = finish(start_agent(make_study(), [sys.executable, str(script), "{x}"], "--count", "1"))

    assert "done: 1 trial run by this agent; 1 trial done" in stderr and "Run more trials" not in stderr
