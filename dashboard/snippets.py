"""The "run your own code" snippets of an external study, with its id and address filled in."""

from django.urls import reverse

from studies.models import Study

PYTHON_CLIENT = '''import os, requests

BASE = "{base}"
HEADERS = {{"Authorization": f"Token {{os.environ['TUNER_TOKEN']}}"}}

while True:
    asked = requests.post(f"{{BASE}}/api/studies/{study_id}/ask/", headers=HEADERS)
    if asked.status_code == 409:  # the budget is spent or the study is paused/finished
        break
    trial = asked.json()
{train}
'''

ONE_OBJECTIVE = '''    value = train(**trial["params"])  # your training code; return the metric
    requests.post(f"{BASE}/api/trials/{trial['id']}/tell/", json={"value": value}, headers=HEADERS)'''

# A study with several objectives is told one number per objective, in the order of its directions.
OBJECTIVES = '''    values = train(**trial["params"])  # your training code; return one number per objective: [{names}]
    requests.post(f"{BASE}/api/trials/{trial['id']}/tell/", json={"values": values}, headers=HEADERS)'''


def agent_command(study_id, space):
    """The agent command line: every parameter passed to the script as --name {name}."""
    flags = " ".join(f"--{name} {{{name}}}" for name in list(space)[:6]) or "--lr {lr}"
    return f"tuner-agent --study {study_id} -- python train.py {flags}"


def install_command(request):
    """The pip command that installs the client (and tuner-agent) from this server."""
    return f"pip install {request.build_absolute_uri(reverse('dashboard:client-archive'))}"


def shown(study, may):
    """Whether the page shows the snippets: to those who may run the study's trials, while it can still
    hand some out (a finished study answers every ask with 409; Run more trials reopens it)."""
    return study.is_external and may["run"] and study.state not in Study.FINISHED_STATES


def result_line(directions):
    """The line the agent reads as a trial's result: one number per objective, in their order."""
    if len(directions) > 1:
        return "tuner: values=" + ",".join(EXAMPLES[i % len(EXAMPLES)] for i in range(len(directions)))
    return "tuner: value=0.93"


EXAMPLES = ("0.93", "41.2", "7", "0.5")


def for_study(request, study):
    base = request.build_absolute_uri("/").rstrip("/")
    directions = study.directions
    if len(directions) > 1:
        names = ", ".join(f"the one to {direction}" for direction in directions)
        numbers = ",".join(f"{{objective_{i + 1}}}" for i in range(len(directions)))
        train, printed = OBJECTIVES.replace("{names}", names), f'print(f"tuner: values={numbers}")'
    else:
        train, printed = ONE_OBJECTIVE, 'print(f"tuner: value={val_loss}")'
    return {
        "install": install_command(request),
        "python": PYTHON_CLIENT.format(base=base, study_id=study.pk, train=train),
        "agent": agent_command(study.pk, study.search_space),
        "result_line": result_line(directions), "print_result": printed, "objectives": len(directions),
    }
