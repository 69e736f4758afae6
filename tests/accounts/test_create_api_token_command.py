"""`manage.py create_api_token <username> --name NAME` prints a new key, alone, for scripts."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_the_printed_key_authenticates_as_the_user(owner):
    out = StringIO()

    call_command("create_api_token", "owner", "--name", "ci runner", stdout=out)

    key = out.getvalue().strip()
    assert ApiToken.objects.get(user=owner).name == "ci runner"
    assert APIClient().get("/api/studies/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_an_unknown_user_is_an_error():
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("create_api_token", "nobody", "--name", "x", stdout=StringIO())


def test_a_taken_name_is_an_error(owner):
    call_command("create_api_token", "owner", "--name", "ci runner", stdout=StringIO())

    with pytest.raises(CommandError, match="^name: you already have a token named 'ci runner'$"):
        call_command("create_api_token", "owner", "--name", "ci runner", stdout=StringIO())
