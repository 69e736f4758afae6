"""The role matrix in the pages: study page, report, model, compare; and the sharing panels."""

import pytest
from django.test import RequestFactory

from sharing import context
from sharing.models import Note

pytestmark = pytest.mark.django_db
PAGES = ["/studies/{s}/", "/studies/{s}/report.html", "/studies/{s}/live.json", "/studies/{s}/export.csv",
         "/studies/{s}/charts/edf.json"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role,status", [("owner", 200), ("editor", 200), ("viewer", 200), ("stranger", 404)])
def test_pages_follow_the_role(client, people, study, path, role, status):
    client.force_login(people[role])

    assert client.get(path.format(s=study.pk)).status_code == status


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitor_is_sent_to_log_in_or_refused(client, study, link_token, path):
    assert client.get(path.format(s=study.pk)).status_code in (302, 401)


@pytest.mark.parametrize("role,run,notes,share,delete", [
    ("owner", True, True, True, True), ("editor", True, True, False, False), ("viewer", False, False, False, False)])
def test_panels_context_says_what_each_role_may_do(people, study, role, run, notes, share, delete):
    request = RequestFactory().get("/")
    request.user = people[role]

    found = context.study_page(request, study)

    assert (found["can_run"], found["can_edit_notes"], found["can_share"], found["can_delete"]) == (run, notes, share, delete)
    assert bool(found["links"]) is False or role == "owner"


def test_panels_render_forms_only_for_roles_that_may_use_them(people, study, link_token):
    from django.template.loader import render_to_string

    html = {}
    for role in ("owner", "viewer"):
        request = RequestFactory().get("/")
        request.user = people[role]
        sharing = context.study_page(request, study)
        html[role] = "".join(render_to_string(f"sharing/{name}.html", {"sharing": sharing}, request)
                             for name in ("_summary", "_members_panel", "_share_panel", "_notes"))

    assert "data-member-form" in html["owner"] and "data-link-form" in html["owner"]
    assert "data-note-form" in html["owner"]
    assert "data-member-form" not in html["viewer"] and "share-links" not in html["viewer"]
    assert "data-note-form" not in html["viewer"] and "In plain words" in html["viewer"]


def test_password_change_page_works(client, people):
    client.force_login(people["viewer"])

    response = client.post("/accounts/password/", {"old_password": "pass-vera-123", "new_password1": "n3w-Secret-pass!",
                                                   "new_password2": "n3w-Secret-pass!"})

    assert response.status_code == 302
    people["viewer"].refresh_from_db()
    assert people["viewer"].check_password("n3w-Secret-pass!")


def test_compare_shows_only_studies_the_user_may_see(client, people, study):
    from .conftest import add_trials, make_study

    mine = make_study(people["stranger"], name="stranger tpe", sampler={"name": "tpe"})
    add_trials(mine, [("complete", 0.1, {"x": 0.2, "y": 0.3})])
    client.force_login(people["viewer"])

    response = client.get(f"/compare/?ids={study.pk}&ids={mine.pk}")

    assert [row["study"].pk for row in response.context["rows"]] == [study.pk]
    assert "stranger tpe" not in response.content.decode()


def test_compare_overlays_two_studies_and_tabulates_best_params(client, people, study):
    from .conftest import add_trials, make_study

    other = make_study(people["owner"], name="tpe run", sampler={"name": "tpe"})
    add_trials(other, [("complete", 0.05, {"x": 0.45, "y": 0.2})])
    client.force_login(people["owner"])

    response = client.get(f"/compare/?ids={study.pk}&ids={other.pk}")

    figures = response.context["figures"]
    assert len([t for t in figures["history"]["traces"] if t["mode"] == "lines"]) == 2
    assert figures["best"]["traces"][0]["y"] == [0.0, 0.05]
    assert response.context["param_names"] == ["x", "y"]


def test_trial_note_context_holds_only_that_trials_note(people, study):
    trial = study.trials.get(number=3)
    Note.objects.create(study=study, trial=trial, text="odd one", updated_by=people["owner"])
    Note.objects.create(study=study, text="study-wide", updated_by=people["owner"])
    request = RequestFactory().get("/")
    request.user = people["editor"]

    found = context.trial_page(request, study, trial)

    assert [note["text"] for note in found["notes"]] == ["odd one"] and found["can_edit_notes"]
