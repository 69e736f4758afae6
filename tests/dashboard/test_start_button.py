"""The Start button is offered where clicking it is the next step: a built-in model's study runs
when started, while a study of your own code starts with its code's first ask."""

import pytest

from tests.dashboard.conftest import make_study

pytestmark = pytest.mark.django_db

START = 'data-action="start"'


def test_a_new_study_of_a_built_in_model_offers_start(site, owner):
    study = make_study(owner, objective={"kind": "function", "name": "branin"})

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert START in page


def test_a_new_study_of_your_own_code_offers_no_start_as_its_code_starts_it(site, owner):
    study = make_study(owner, objective={"kind": "external"})

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert START not in page
    assert 'data-action="stop"' in page, "it can still be stopped"
