"""manage.py run_study: a study from a JSON file; bad files give a message, not a traceback."""

import json

import pytest
from django.core.management import CommandError, call_command

from studies.models import Study

pytestmark = pytest.mark.django_db


def _write(tmp_path, body):
    path = tmp_path / "spec.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body))
    return str(path)


def test_run_study_creates_and_starts_the_study(tmp_path, owner, capsys):
    spec = _write(tmp_path, {"name": "cli", "objective": {"kind": "function", "name": "branin"}, "budget": {"n_trials": 4}})

    call_command("run_study", spec, "--owner", "owner")

    study = Study.objects.get(name="cli")
    assert study.state == "running"
    assert f"created study {study.pk}" in capsys.readouterr().out


def test_invalid_spec_lists_each_fault(tmp_path, owner):
    spec = _write(tmp_path, {"name": "cli", "objective": {"kind": "external"},
                             "search_space": {"x": {"type": "float", "low": 2, "high": 1}}})

    with pytest.raises(CommandError, match="x.low: low must be less than high"):
        call_command("run_study", spec, "--owner", "owner")
    assert not Study.objects.exists()


def test_file_that_is_not_json_says_where(tmp_path, owner):
    spec = _write(tmp_path, "{oops")

    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("run_study", spec, "--owner", "owner")


def test_missing_file_is_a_clear_error(owner):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("run_study", "/nonexistent/spec.json", "--owner", "owner")
