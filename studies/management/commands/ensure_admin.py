"""Create the first admin account with a generated password, printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create an 'admin' superuser with a generated password if no superuser exists yet."

    def handle(self, *args, **options):
        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(12)
        users.objects.create_superuser("admin", "", password)
        line = "=" * 64
        self.stdout.write(
            f"{line}\n First run: an admin account was created.\n"
            f"   username: admin\n   password: {password}\n"
            f" This is shown once; change it at /admin/password_change/.\n{line}"
        )
