"""A study stored with a lone surrogate before the API refused them no longer breaks anyone's pages.

Only SQLite could store one (inside JSON text, as the escape \\ud800); PostgreSQL refuses it on
input. The data migration replaces each with U+FFFD, the replacement character.
"""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from studies.models import StudyMember
from studies.models import Dataset, Trial

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db
migration = importlib.import_module("studies.migrations.0007_replace_lone_surrogates")

HOSTILE_SPACE = {"c": {"type": "categorical", "choices": ["a", "\ud800"]}}


@pytest.fixture
def damaged_study(owner, outsider):
    """A study with a lone surrogate in its space and a trial's params, shared with the outsider."""
    study = make_study(owner, space=HOSTILE_SPACE, name="damaged")
    add_trials(study, [("complete", 1.0, {"c": "\ud800"})])
    StudyMember.objects.create(study=study, user=outsider, role="viewer", accepted_at=timezone.now())
    return study


def test_a_member_lists_studies_after_the_migration(damaged_study, outsider_api):
    migration.replace_lone_surrogates(apps, connection.schema_editor())

    response = outsider_api.get("/api/studies/")

    assert response.status_code == 200
    assert response.json()["results"][0]["search_space"]["c"]["choices"] == ["a", "\ufffd"]


def test_a_member_opens_the_study_list_page_after_the_migration(damaged_study, client, outsider):
    migration.replace_lone_surrogates(apps, connection.schema_editor())
    client.force_login(outsider)

    response = client.get("/")

    assert response.status_code == 200


def test_the_trial_params_are_cleaned_too(damaged_study):
    migration.replace_lone_surrogates(apps, connection.schema_editor())

    assert Trial.objects.get(study=damaged_study).params == {"c": "\ufffd"}


def test_a_nul_stored_in_a_name_is_replaced(owner):
    study = make_study(owner, name="a\x00b")

    migration.replace_lone_surrogates(apps, connection.schema_editor())

    study.refresh_from_db()
    assert study.name == "a\ufffdb"


def test_clean_rows_are_left_as_they_were(one_trial_study):
    space = one_trial_study.search_space

    migration.replace_lone_surrogates(apps, connection.schema_editor())

    one_trial_study.refresh_from_db()
    assert one_trial_study.search_space == space and one_trial_study.name == "one"


def test_a_dataset_preview_is_cleaned(owner):
    dataset = Dataset.objects.create(owner=owner, name="d", file="datasets/d.csv", n_rows=1,
                                     columns=[{"name": "a", "kind": "text"}], preview=[{"a": "\udc80"}])

    migration.replace_lone_surrogates(apps, connection.schema_editor())

    dataset.refresh_from_db()
    assert dataset.preview == [{"a": "\ufffd"}]
