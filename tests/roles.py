"""Role fixtures: a study with an owner, an editor, a viewer and a stranger, and share links to it.

A test module imports the fixtures it uses (`from tests.roles import people, study  # noqa: F401`).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from studies.services import members, share_links
from studies.models import Study, Trial

SPACE = {"x": {"type": "float", "low": 0.0, "high": 1.0}, "y": {"type": "float", "low": 0.0, "high": 1.0}}
IRIS = {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris", "metric": "accuracy", "cv": 3}


def make_study(owner, space=None, objective=None, **fields):
    return Study.objects.create(
        owner=owner, name=fields.pop("name", "shared study"), directions=fields.pop("directions", ["minimize"]),
        search_space=space or SPACE, sampler=fields.pop("sampler", {"name": "random"}),
        objective=objective or {"kind": "external"}, seed=1, n_trials=fields.pop("n_trials", 50), **fields,
    )


def add_trials(study, rows):
    """Store trials from (state, value, params[, duration_s]) tuples, numbered in order."""
    start = timezone.now() - timedelta(hours=1)
    trials = []
    for number, row in enumerate(rows):
        state, value, params = row[:3]
        duration_s = row[3] if len(row) > 3 else 30.0
        began = start + timedelta(seconds=60 * number)
        trials.append(Trial(study=study, number=number, state=state, value=value, params=params, worker="w0",
                            started_at=began, revision=number + 1,
                            finished_at=began + timedelta(seconds=duration_s) if state in Trial.FINISHED_STATES else None))
    Trial.objects.bulk_create(trials)
    Study.objects.filter(pk=study.pk).update(revision=len(rows), next_number=len(rows))
    study.refresh_from_db()
    return list(Trial.objects.filter(study=study).order_by("number"))


@pytest.fixture
def people(django_user_model):
    make = django_user_model.objects.create_user
    return {
        "owner": make("olivia", password="pass-olivia-123", first_name="Olivia", last_name="Owner"),
        "editor": make("edgar", password="pass-edgar-123"),
        "viewer": make("vera", password="pass-vera-123"),
        "stranger": make("stan", password="pass-stan-123"),
    }


@pytest.fixture
def study(people):
    study = make_study(people["owner"])
    add_trials(study, [("complete", (i - 5) ** 2 / 10, {"x": i / 10, "y": 0.5}) for i in range(10)]
               + [("running", None, {"x": 0.9, "y": 0.1})])
    _share(study, people)
    return study


@pytest.fixture
def iris_study(people):
    """A built-in model study shared like `study`, whose best trial (#1) has C = 7.5."""
    study = make_study(people["owner"], space={"C": {"type": "float", "low": 0.01, "high": 100, "log": True}},
                       directions=["maximize"], objective=IRIS, state="completed")
    add_trials(study, [("complete", 0.90, {"C": 0.05}), ("complete", 0.97, {"C": 7.5}), ("pruned", None, {"C": 0.02})])
    _share(study, people)
    return study


@pytest.fixture
def iris_explanation(iris_study, people, django_capture_on_commit_callbacks):
    """The explanation of `iris_study`'s best model, asked for by the owner and worked out here."""
    from studies.services import explanations

    with django_capture_on_commit_callbacks():
        explanation = explanations.request_explanation(iris_study.pk, people["owner"])
    explanations.explain_model(explanation.pk)
    return explanation


def join_as(study_id, username, role):
    """`username` joins the study in `role`: invited by the owner, accepting."""
    from django.contrib.auth import get_user_model

    members.invite_member(study_id, username, role)
    members.accept_invitation(study_id, get_user_model().objects.get(username=username))


def _share(study, people):
    """Edgar joins as editor and Vera as viewer: each invited by the owner, each accepting."""
    for name, role in (("editor", "editor"), ("viewer", "viewer")):
        members.invite_member(study.pk, people[name].username, role)
        members.accept_invitation(study.pk, people[name])


@pytest.fixture
def link_token(study, people):
    _, token = share_links.create_share_link(study.pk, people["owner"])
    return token


@pytest.fixture
def revoked_token(study, people):
    link, token = share_links.create_share_link(study.pk, people["owner"])
    share_links.revoke_share_link(link.pk)
    return token


@pytest.fixture
def expired_token(study, people):
    link, token = share_links.create_share_link(study.pk, people["owner"], timezone.now() + timedelta(hours=1))
    type(link).objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return token


def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
