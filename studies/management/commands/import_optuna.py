"""Make a Tuner study from a study of an Optuna storage and print its id."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from studies import services
from studies.services import optuna_io


class Command(BaseCommand):
    help = ("Import a study from Optuna: every finished trial with its params, value(s), state and intermediate "
            "values, into a new completed study you can inspect and continue with ask/tell. Prints its id.")

    def add_arguments(self, parser):
        parser.add_argument("--storage", required=True,
                            help="an Optuna storage URL (sqlite:///optuna.db, postgresql+psycopg://...) "
                                 "or the path of an Optuna journal or SQLite file")
        parser.add_argument("--study", required=True, help="the name of the Optuna study to import")
        parser.add_argument("--owner", help="username that owns the new study (default: the only superuser)")

    def handle(self, *args, **options):
        owner = _owner(options.get("owner"))
        try:
            study, note = optuna_io.import_optuna(owner, options["storage"], options["study"])
        except services.InvalidInput as exc:
            lines = [message for messages in exc.errors.values() for message in messages]
            raise CommandError("nothing was imported:\n  " + "\n  ".join(lines)) from None
        except services.ServiceError as exc:
            raise CommandError(exc.message) from None
        if note:
            self.stderr.write(f"note: {note}")
        self.stdout.write(str(study.pk))


def _owner(username):
    users = get_user_model()
    if username:
        user = users.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return user
    superusers = list(users.objects.filter(is_superuser=True)[:2])
    if len(superusers) != 1:
        raise CommandError("say who owns the new study: pass --owner USERNAME")
    return superusers[0]
