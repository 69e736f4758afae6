"""Import from Optuna in a real browser: upload a journal file, pick the study, land on it."""

import re

import optuna
import pytest

from studies.models import Study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _journal(path):
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
    for name in ("warm-up runs", "lr sweep"):
        study = optuna.create_study(storage=storage, study_name=name)
        study.add_trial(optuna.trial.create_trial(
            params={"lr": 0.01}, distributions={"lr": optuna.distributions.FloatDistribution(1e-4, 1, log=True)},
            value=0.25))
    return path


def test_a_journal_file_is_imported_after_naming_one_of_its_studies(logged_in, user, tmp_path):
    path = _journal(tmp_path / "optuna.log")
    logged_in.goto("/")
    logged_in.click("text=Import from Optuna")

    logged_in.set_input_files("#optuna-file", str(path))
    logged_in.click("#optuna-submit")
    told = logged_in.locator("[data-error-for=study]")
    told.wait_for()
    which = told.inner_text()
    screenshot(logged_in, "optuna-import-which-study")
    logged_in.fill("#optuna-study", "lr sweep")
    logged_in.click("#optuna-submit")
    logged_in.wait_for_url(re.compile(r"/studies/\d+/$"))

    study = Study.objects.get(owner=user)
    assert "'warm-up runs', 'lr sweep'" in which
    assert (study.name, study.state, study.trials.count()) == ("lr sweep", "completed", 1)
    assert logged_in.url.endswith(f"/studies/{study.pk}/")
