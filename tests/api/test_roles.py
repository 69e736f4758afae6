"""The role matrix in the API: owner, editor, viewer, stranger and anonymous, for every action.

Allowed means "not refused": the answer may still be 409 or 400 for the study's state, but
never 401, 403 or 404. A role that may see the study but not act gets 403; a stranger 404.
"""

import pytest

from studies.models import ShareLink, Study, StudyMember

from tests.roles import api_client, link_token, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

REFUSED = {401, 403, 404}
EVERYONE = {"owner", "editor", "viewer"}
RUNNERS = {"owner", "editor"}
OWNER = {"owner"}


def _running_trial(study):
    return study.trials.get(state="running")


ACTIONS = {
    # name: (allowed roles, method, path from the study and its running trial, body)
    "retrieve": (EVERYONE, "get", "/api/studies/{s}/", None),
    "list trials": (EVERYONE, "get", "/api/studies/{s}/trials/", None),
    "start": (RUNNERS, "post", "/api/studies/{s}/start/", None),
    "pause": (RUNNERS, "post", "/api/studies/{s}/pause/", None),
    "resume": (RUNNERS, "post", "/api/studies/{s}/resume/", None),
    "stop": (RUNNERS, "post", "/api/studies/{s}/stop/", None),
    "ask": (RUNNERS, "post", "/api/studies/{s}/ask/", None),
    "enqueue": (RUNNERS, "post", "/api/studies/{s}/trials/", {"params": {"x": 0.5, "y": 0.5}}),
    "report": (RUNNERS, "post", "/api/trials/{t}/report/", {"step": 0, "value": 1.0}),
    "tell": (RUNNERS, "post", "/api/trials/{t}/tell/", {"value": 1.0}),
    "heartbeat": (RUNNERS, "post", "/api/trials/{t}/heartbeat/", None),
    # Allowed answers 409 here: the trial is running, and only a finished trial is excluded.
    "exclude trial": (RUNNERS, "post", "/api/trials/{t}/exclude/", {"reason": "flaky machine"}),
    "include trial": (RUNNERS, "post", "/api/trials/{t}/include/", None),
    "narrow": (RUNNERS, "post", "/api/studies/{s}/narrow/", {"search_space": {"x": {"type": "float", "low": 0, "high": 0.5}}}),
    "delete": (OWNER, "delete", "/api/studies/{s}/", None),
    "list members": (EVERYONE, "get", "/api/studies/{s}/members/", None),
    "add member": (OWNER, "post", "/api/studies/{s}/members/", {"username": "stan", "role": "viewer"}),
    # Not a name of the caller's: a member deleting their own name leaves (tests/api/test_members.py).
    "remove member": (OWNER, "delete", "/api/studies/{s}/members/stan/", None),
    "list links": (OWNER, "get", "/api/studies/{s}/share-links/", None),
    "create link": (OWNER, "post", "/api/studies/{s}/share-links/", {"expires_at": None}),
    "revoke link": (OWNER, "delete", "/api/share-links/{l}/", None),
    "list notes": (EVERYONE, "get", "/api/studies/{s}/notes/", None),
    "write note": (RUNNERS, "put", "/api/studies/{s}/notes/", {"text": "looks good"}),
    # Preparing the best model changes nothing in the study (409 here: it has no built-in model).
    "prepare best model": (EVERYONE, "post", "/api/studies/{s}/best-model/", None),
}
ROLES = ["owner", "editor", "viewer", "stranger"]


def _call(client, study, link, action):
    _, method, path, body = ACTIONS[action]
    url = path.format(s=study.pk, t=_running_trial(study).pk, l=link.pk)
    return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_matrix(people, study, link_token, role, action):
    study.state = Study.State.RUNNING
    study.save(update_fields=["state"])
    link = ShareLink.objects.get(study=study)

    response = _call(api_client(people[role]), study, link, action)

    allowed = ACTIONS[action][0]
    if role in allowed:
        assert response.status_code not in REFUSED, response.content
    elif role == "stranger":
        assert response.status_code == 404, response.content
    else:
        assert response.status_code == 403, response.content


@pytest.mark.parametrize("action", list(ACTIONS))
def test_anonymous_is_refused_every_action_even_with_a_link(study, link_token, action):
    link = ShareLink.objects.get(study=study)

    response = _call(api_client(None), study, link, action)

    assert response.status_code in (401, 403)


def test_viewer_cannot_delete_and_the_study_stays(people, study):
    response = api_client(people["viewer"]).delete(f"/api/studies/{study.pk}/")

    assert response.status_code == 403
    assert Study.objects.filter(pk=study.pk).exists()


def test_editor_can_start_a_created_study(people, study):
    response = api_client(people["editor"]).post(f"/api/studies/{study.pk}/start/")

    assert response.status_code == 202
    assert Study.objects.get(pk=study.pk).state == "running"


def test_shared_study_is_listed_for_the_member_only(people, study):
    listed = {role: [row["id"] for row in api_client(people[role]).get("/api/studies/").json()["results"]]
              for role in ROLES}

    assert listed == {"owner": [study.pk], "editor": [study.pk], "viewer": [study.pk], "stranger": []}


def test_trial_counts_are_not_multiplied_by_members(people, study):
    body = api_client(people["owner"]).get(f"/api/studies/{study.pk}/").json()

    assert body["n_trials_by_state"]["complete"] == 10


def test_adding_a_member_twice_changes_the_role(people, study):
    client = api_client(people["owner"])

    response = client.post(f"/api/studies/{study.pk}/members/", {"username": "vera", "role": "editor"}, format="json")

    assert response.status_code == 202
    assert StudyMember.objects.get(study=study, user=people["viewer"]).role == "editor"


def test_a_bad_role_or_the_owner_answers_400_by_field(people, study):
    client = api_client(people["owner"])

    bad_role = client.post(f"/api/studies/{study.pk}/members/", {"username": "stan", "role": "admin"}, format="json")
    owner = client.post(f"/api/studies/{study.pk}/members/", {"username": "olivia", "role": "viewer"}, format="json")

    assert (bad_role.status_code, list(bad_role.json())) == (400, ["role"])
    assert (owner.status_code, list(owner.json())) == (400, ["username"])


def test_removed_member_loses_access(people, study):
    api_client(people["owner"]).delete(f"/api/studies/{study.pk}/members/vera/")

    response = api_client(people["viewer"]).get(f"/api/studies/{study.pk}/")

    assert response.status_code == 404
