"""Studies of a built-in model made before a single value could be named are named after their
metric by the migration; other studies, and names already given, are left as they are."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from studies.models import Study

pytestmark = pytest.mark.django_db
migration = importlib.import_module("studies.migrations.0023_name_builtin_values")
RIDGE = {"kind": "sklearn", "estimator": "ridge", "dataset": "diabetes", "metric": "rmse", "cv": 3}


def _old_study(owner, objective, objective_names=()):
    return Study.objects.create(owner=owner, name="old", directions=["minimize"], objective=objective,
                                objective_names=list(objective_names), search_space={}, seed=1)


def test_an_old_built_in_model_study_is_named_after_its_metric(owner):
    study = _old_study(owner, RIDGE)

    migration.name_builtin_values(apps, connection.schema_editor())

    study.refresh_from_db()
    assert study.objective_names == ["root mean squared error"]


def test_an_old_study_of_ones_own_code_or_with_a_name_is_left_alone(owner):
    own = _old_study(owner, {"kind": "external"})
    named = _old_study(owner, RIDGE, ["typical miss"])

    migration.name_builtin_values(apps, connection.schema_editor())

    own.refresh_from_db()
    named.refresh_from_db()
    assert own.objective_names == [] and named.objective_names == ["typical miss"]
