"""With production settings from the environment, Django's deployment checklist passes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "TUNER_HTTPS": "true",
        "DJANGO_ALLOWED_HOSTS": "tuner.example.com",
        "TUNER_VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_a_malformed_boolean(tmp_path):
    env = {**os.environ, "TUNER_HTTPS": "maybe", "TUNER_VAR_DIR": str(tmp_path)}

    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)

    assert result.returncode != 0
    assert "TUNER_HTTPS must be a boolean" in result.stderr
