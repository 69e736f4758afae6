"""Create and start a study from a JSON file, optionally waiting with a progress bar."""

import json
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from studies import services
from studies.services import read
from studies.models import Study


class Command(BaseCommand):
    help = "Create a study from a JSON spec (the body of POST /api/studies/) and start it on the workers."

    def add_arguments(self, parser):
        parser.add_argument("spec", help="path to a JSON file with the study spec")
        parser.add_argument("--owner", help="username that owns the study (default: the first superuser)")
        parser.add_argument("--wait", action="store_true", help="wait for the study to finish, showing progress")

    def handle(self, *args, **options):
        spec = _read_spec(options["spec"])
        owner = _owner(options.get("owner"))
        try:
            study = services.create_study(owner, spec)
        except services.InvalidInput as exc:
            lines = [f"  {field}: {message}" for field, messages in exc.errors.items() for message in messages]
            raise CommandError("the study spec is not valid:\n" + "\n".join(lines)) from None
        self.stdout.write(f"created study {study.pk} ({study.name})")
        if study.is_external:
            self.stdout.write(f"external objective: run your code with ask/tell against study {study.pk}")
            return
        services.start_study(study.pk)
        self.stdout.write("started; the workers are running its trials")
        if options["wait"]:
            self._wait(study.pk)

    def _wait(self, study_id):
        while True:
            study = read.attach_summary(read.with_state_counts(Study.objects.filter(pk=study_id)).get())
            counts = study.state_counts
            done = counts["complete"] + counts["pruned"] + counts["failed"]
            self.stdout.write("\r" + _bar(done, study.n_trials) + _best(study), ending="")
            sys.stdout.flush()
            if study.state in Study.FINISHED_STATES:
                self.stdout.write(f"\nstudy {study.pk} is {study.state}")
                return
            time.sleep(1)


def _bar(done, total, width=30):
    if not total:
        return f"{done} trials done"
    filled = int(width * min(done, total) / total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def _best(study):
    return f"  best {study.best.value:.6g} (trial {study.best.number})" if study.best else ""


def _read_spec(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def _owner(username):
    users = get_user_model()
    if username:
        user = users.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return user
    user = users.objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError("no superuser yet: run `make run` once, or pass --owner USERNAME")
    return user
