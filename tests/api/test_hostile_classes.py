"""Each class of hostile input from issue 16, on the endpoints the other suites leave out.

tests/api/test_hostile_input.py and test_text_faults.py send these to creating a study, enqueuing
and telling; here every other endpoint that takes text or a number gets them too: a lone
surrogate or NUL in any string, JSON nested thousands deep, and ids wider than any column.
Each answers 400 or 404, never 500, and stores nothing.
"""

import pytest

from accounts.models import ApiToken
from studies.models import Note, ShareLink, StudyMember

from .helpers import ask, create

pytestmark = pytest.mark.django_db

SURROGATE, NUL = '"a\\ud800"', '"a\\u0000"'
DEEP = "[" * 5000 + "]" * 5000
HUGE = 10**20


def _send(api, url, text):
    # Notes are written with PUT, everything else here with POST.
    method = "PUT" if url.endswith("/notes/") else "POST"
    return api.generic(method, url, text, content_type="application/json")


def _bodies(bad):
    """Each endpoint that takes text, with `bad` (raw JSON) where a string goes: (url, body, field named)."""
    return {
        "note": ("/api/studies/{s}/notes/", '{"text": %s}' % bad, "text"),
        "token_name": ("/api/tokens/", '{"name": %s}' % bad, "name"),
        "member_username": ("/api/studies/{s}/members/", '{"username": %s, "role": "viewer"}' % bad, "username"),
        "member_role": ("/api/studies/{s}/members/", '{"username": "stan", "role": %s}' % bad, "role"),
        "share_link_expiry": ("/api/studies/{s}/share-links/", '{"expires_at": %s}' % bad, "expires_at"),
        "report_value": ("/api/trials/{t}/report/", '{"step": 0, "value": %s}' % bad, "value"),
        "tell_state": ("/api/trials/{t}/tell/", '{"state": %s}' % bad, "state"),
    }


@pytest.fixture
def targets(api):
    study_id = create(api)
    return {"s": study_id, "t": ask(api, study_id)["id"]}


def _stored_nothing(owner_tokens):
    return (Note.objects.count(), ShareLink.objects.count(), StudyMember.objects.count(),
            ApiToken.objects.count()) == (0, 0, 0, owner_tokens)


@pytest.mark.parametrize("bad", [SURROGATE, NUL], ids=["lone_surrogate", "nul"])
@pytest.mark.parametrize("endpoint", list(_bodies("")), ids=list(_bodies("")))
def test_unstorable_text_in_any_string_answers_400_naming_the_field(api, targets, endpoint, bad):
    tokens_before = ApiToken.objects.count()
    url, body, field = _bodies(bad)[endpoint]

    response = _send(api, url.format(**targets), body)

    assert response.status_code == 400, response.content
    assert any(key.startswith(field) for key in response.json()), response.json()
    assert _stored_nothing(tokens_before)


@pytest.mark.parametrize("endpoint", list(_bodies("")), ids=list(_bodies("")))
def test_a_body_nested_5000_deep_answers_400_on_every_endpoint(api, targets, endpoint):
    tokens_before = ApiToken.objects.count()
    url, body, _ = _bodies(DEEP)[endpoint]

    response = _send(api, url.format(**targets), body)

    assert response.status_code == 400, response.content
    assert _stored_nothing(tokens_before)


@pytest.mark.parametrize("method,url", [
    ("get", f"/api/studies/{HUGE}/"), ("get", f"/api/studies/{HUGE}/trials/"), ("get", f"/api/trials/{HUGE}/"),
    ("get", f"/api/datasets/{HUGE}/"), ("get", f"/api/studies/{HUGE}/members/"), ("delete", f"/api/tokens/{HUGE}/"),
    ("delete", f"/api/share-links/{HUGE}/"), ("post", f"/api/invitations/{HUGE}/"),
    ("delete", f"/api/invitations/{HUGE}/"), ("delete", f"/api/studies/{HUGE}/members/stan/"),
], ids=lambda value: value if value in ("get", "post", "delete") else None)
def test_an_id_wider_than_any_column_answers_404(api, method, url):
    response = getattr(api, method)(url)

    assert response.status_code == 404, response.content


def test_a_list_page_past_any_column_answers_404_not_500(api, targets):
    response = api.get(f"/api/studies/?page={HUGE}")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["gpu\nbox", "gpu\u202ebox", "<a href='https://x.example'>box</a>"],
                         ids=["line_break", "bidi_override", "markup"])
def test_a_member_username_of_any_shape_is_answered_as_any_other(api, targets, name):
    plain = _send(api, f"/api/studies/{targets['s']}/members/", '{"username": "nobody", "role": "viewer"}')

    response = api.post(f"/api/studies/{targets['s']}/members/", {"username": name, "role": "viewer"}, format="json")

    assert response.status_code == plain.status_code == 202
    assert not StudyMember.objects.exists()
