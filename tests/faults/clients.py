"""External ask/tell clients, as a training script would write them: retry on 503 or no
answer, with an Idempotency-Key on ask so a lost reply returns the same trial."""

import random
import threading
import time
import uuid
from dataclasses import dataclass, field

RETRY_FOR_S = 90


@dataclass
class ClientLog:
    """What the clients saw; list appends are atomic under the GIL."""

    told: list = field(default_factory=list)  # (trial id, number, value, status of the tell once answered)
    told_twice: list = field(default_factory=list)  # (trial id, status of the same tell again, value answered)
    contradicted: list = field(default_factory=list)  # statuses of a different value told for a finished trial
    abandoned: list = field(default_factory=list)  # trial ids asked and never told
    unanswered: list = field(default_factory=list)  # requests given up after RETRY_FOR_S

    def stored(self):
        """{trial id: value} of every tell the server accepted (200)."""
        return {trial_id: value for trial_id, _, value, status in self.told if status == 200}


def _retrying(log, send, *args, **kwargs):
    """Send until the answer is neither 503 nor missing (server down or busy)."""
    deadline = time.monotonic() + RETRY_FOR_S
    pause = 0.05
    while True:
        status, body = send(*args, **kwargs)
        if status not in (None, 503):
            return status, body
        if time.monotonic() > deadline:
            log.unanswered.append((status, body))
            return status, body
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


def _ask(stack, study_id, log):
    headers = {"Idempotency-Key": uuid.uuid4().hex}  # the same key on every retry of this ask
    return _retrying(log, stack.call, "POST", f"/api/studies/{study_id}/ask/", headers=headers)


def _tell(stack, trial_id, value, log):
    return _retrying(log, stack.call, "POST", f"/api/trials/{trial_id}/tell/", {"value": value})


def run_client(stack, study_id, log, seed, double_rate=0.0, abandon_rate=0.0):
    """Ask and tell until the study answers 409 (budget spent)."""
    rng = random.Random(seed)
    while True:
        status, trial = _ask(stack, study_id, log)
        if status != 201:
            return
        if rng.random() < abandon_rate:
            log.abandoned.append(trial["id"])
            continue
        value = round(trial["params"]["x"] * 10 + 1, 9)
        status, body = _tell(stack, trial["id"], value, log)
        log.told.append((trial["id"], trial["number"], value, status))
        if status == 200 and rng.random() < double_rate:
            status, body = _tell(stack, trial["id"], value, log)
            log.told_twice.append((trial["id"], status, body.get("value") if isinstance(body, dict) else None))
            log.contradicted.append(_tell(stack, trial["id"], value + 1, log)[0])


def start_clients(stack, study_id, n_clients, **options):
    log = ClientLog()
    threads = [threading.Thread(target=run_client, args=(stack, study_id, log, seed), kwargs=options, daemon=True)
               for seed in range(n_clients)]
    for thread in threads:
        thread.start()
    return log, threads


def join_clients(threads, timeout_s=240):
    deadline = time.monotonic() + timeout_s
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0.1))
    assert not any(thread.is_alive() for thread in threads), "ask/tell clients still running at the deadline"


def assert_tells_stored_once(stack, study_id, log):
    """Every tell the server accepted is stored, once, with its value; nothing else is complete."""
    trials = {t["id"]: t for t in stack.trials(study_id)}
    accepted = log.stored()
    complete = {trial_id for trial_id, t in trials.items() if t["state"] == "complete"}
    assert complete == set(accepted), "complete trials differ from the tells the clients saw accepted"
    for trial_id, value in accepted.items():
        assert trials[trial_id]["value"] == value
    told_ids = [trial_id for trial_id, _, _, status in log.told if status == 200]
    assert len(told_ids) == len(set(told_ids)), "a trial was handed out to two clients"
    return trials
