"""The "run your own code" snippets of an external study, with its id and address filled in."""

from django.urls import reverse

from studies.models import Study

# tuner_client, not bare HTTP requests: its trial sends heartbeats while the code trains, so a
# trial longer than the study's grace period (60 s) is not failed as "worker lost" with its tell
# refused; its report lets the pruner stop a poor trial; and `with trial` tells a crash `failed`.
PYTHON_CLIENT = '''import tuner_client  # {install}; reads your API token from TUNER_TOKEN

study = tuner_client.Study("{base}", study_id={study_id})
for trial in study.trials():  # until the budget is spent or the study is paused or stopped
    with trial:  # keeps the trial alive while it trains; an error tells it failed, with its traceback
{train}
'''

ONE_OBJECTIVE = '''        model = build(**trial.params)  # your code
        for epoch in range(30):
            score = train_one_epoch(model)  # your code: the metric after this epoch
            trial.report(epoch, score)  # a poor trial is stopped early here, and the loop goes on
        trial.tell(score)'''

# A study with several objectives is told one number per objective, in the order of its directions.
OBJECTIVES = '''        values = train(**trial.params)  # your code; return one number per objective: [{names}]
        trial.tell(values=values)'''

# Where the wizard shows the snippet, the study and so its id do not exist yet.
NO_ID_YET = "<id>"


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


def python_loop(request, study_id, directions):
    """The Python loop that runs a study's trials with tuner_client, for a study of these directions."""
    base = request.build_absolute_uri("/").rstrip("/")
    if len(directions) > 1:
        names = ", ".join(f"the one to {direction}" for direction in directions)
        train = OBJECTIVES.replace("{names}", names)
    else:
        train = ONE_OBJECTIVE
    return PYTHON_CLIENT.format(install=install_command(request), base=base, study_id=study_id, train=train)


def for_wizard(request):
    """The snippets the wizard shows for "my own training code", before the study has an id."""
    return {"python": python_loop(request, NO_ID_YET, ["maximize"]), "agent": agent_command(NO_ID_YET, {})}


def for_study(request, study):
    directions = study.directions
    if len(directions) > 1:
        numbers = ",".join(f"{{objective_{i + 1}}}" for i in range(len(directions)))
        printed = f'print(f"tuner: values={numbers}")'
    else:
        printed = 'print(f"tuner: value={score}")'
    return {
        "install": install_command(request),
        "python": python_loop(request, study.pk, directions),
        "agent": agent_command(study.pk, study.search_space),
        "result_line": result_line(directions), "print_result": printed, "objectives": len(directions),
    }
