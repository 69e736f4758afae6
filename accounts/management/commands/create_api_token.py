"""Create a named API token for a user and print its key, alone on a line, for scripts to capture."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from studies.services import InvalidInput

from ... import tokens


class Command(BaseCommand):
    help = "Create a named API token for a user and print its key (it is not stored, so it is shown only now)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. the machine that uses it")
        parser.add_argument("--expires-in-days", type=int, default=None, help="default: never expires")

    def handle(self, *args, username, name, expires_in_days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        expires_at = None if expires_in_days is None else timezone.now() + timedelta(days=expires_in_days)
        try:
            _, key = tokens.create_token(user, name, expires_at)
        except InvalidInput as invalid:
            raise CommandError(str(invalid)) from None
        self.stdout.write(key)
