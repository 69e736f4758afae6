"""The "run your own code" snippets of an external study, with its id and address filled in."""

from django.urls import reverse

PYTHON_CLIENT = '''import os, requests

BASE = "{base}"
HEADERS = {{"Authorization": f"Token {{os.environ['TUNER_TOKEN']}}"}}

while True:
    asked = requests.post(f"{{BASE}}/api/studies/{study_id}/ask/", headers=HEADERS)
    if asked.status_code == 409:  # the budget is spent or the study is paused/finished
        break
    trial = asked.json()
    value = train(**trial["params"])  # your training code; return the metric
    requests.post(f"{{BASE}}/api/trials/{{trial['id']}}/tell/", json={{"value": value}}, headers=HEADERS)
'''


def agent_command(study_id, space):
    """The agent command line: every parameter passed to the script as --name {name}."""
    flags = " ".join(f"--{name} {{{name}}}" for name in list(space)[:6]) or "--lr {lr}"
    return f"tuner-agent --study {study_id} -- python train.py {flags}"


def install_command(request):
    """The pip command that installs the client (and tuner-agent) from this server."""
    return f"pip install {request.build_absolute_uri(reverse('dashboard:client-archive'))}"


def for_study(request, study):
    base = request.build_absolute_uri("/").rstrip("/")
    return {
        "install": install_command(request),
        "python": PYTHON_CLIENT.format(base=base, study_id=study.pk),
        "agent": agent_command(study.pk, study.search_space),
    }
