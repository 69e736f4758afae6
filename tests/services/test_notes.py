"""Notes render Markdown safely everywhere they show."""

import pytest

from studies.services import InvalidInput
from studies.services.notes import MAX_NOTE_CHARS, render_markdown, save_note
from tests.roles import api_client, link_token, people, study  # noqa: F401 (fixtures)

ATTACK = '<script>alert("x")</script> <img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**'


def test_script_tag_renders_as_text():
    html = render_markdown(ATTACK)

    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html and "<strong>bold</strong>" in html


@pytest.mark.django_db
def test_note_with_a_script_tag_is_text_on_the_share_page_and_in_the_report(client, study, people, link_token):
    api_client(people["editor"]).put(f"/api/studies/{study.pk}/notes/", {"text": ATTACK}, format="json")

    for path in ("", "report.html"):
        html = client.get(f"/share/{link_token}/{path}").content.decode()
        assert "&lt;script&gt;alert" in html
        assert '<script>alert("x")' not in html and "onerror=alert(1)>" not in html


@pytest.mark.django_db
def test_trial_note_and_empty_text_deletes(study, people):
    client = api_client(people["editor"])

    made = client.put(f"/api/studies/{study.pk}/notes/", {"trial": 3, "text": "odd"}, format="json")
    missing = client.put(f"/api/studies/{study.pk}/notes/", {"trial": 99, "text": "odd"}, format="json")
    deleted = client.put(f"/api/studies/{study.pk}/notes/", {"trial": 3, "text": "  "}, format="json")

    assert made.status_code == 200 and made.json()["trial"] == 3
    assert missing.status_code == 400 and "trial" in missing.json()
    assert deleted.status_code == 204 and study.notes.count() == 0


@pytest.mark.django_db
def test_viewer_cannot_write_a_note(study, people):
    response = api_client(people["viewer"]).put(f"/api/studies/{study.pk}/notes/", {"text": "hi"}, format="json")

    assert response.status_code == 403 and study.notes.count() == 0


def test_services_refuse_an_overlong_note(db, study, people):
    with pytest.raises(InvalidInput):
        save_note(study.pk, None, "x" * (MAX_NOTE_CHARS + 1), people["owner"])
