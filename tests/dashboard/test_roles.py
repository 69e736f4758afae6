"""The role matrix in the pages: study page, report, model, compare; and the panels each role gets."""

import pytest
from django.test import RequestFactory

from dashboard import context
from studies import access
from studies.models import Note, Study
from studies.services import read
from tests.roles import add_trials, link_token, make_study, people, study  # noqa: F401 (fixtures)

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


def _page(people, study, role):
    request = RequestFactory().get("/")
    request.user = people[role]
    annotated = read.with_summary(Study.objects.filter(pk=study.pk).select_related("owner")).get()
    return context.study_page(request, access.visitor(people[role], annotated))


@pytest.mark.parametrize("role,run,notes,share,delete", [
    ("owner", True, True, True, True), ("editor", True, True, False, False), ("viewer", False, False, False, False)])
def test_the_page_context_says_what_each_role_may_do(people, study, role, run, notes, share, delete):
    may = _page(people, study, role)["may"]

    assert (may["run"], may["edit_notes"], may["share"], may["delete"]) == (run, notes, share, delete)


def test_the_page_renders_forms_only_for_roles_that_may_use_them(client, people, study):
    html = {}
    for role in ("owner", "viewer"):
        client.force_login(people[role])
        html[role] = client.get(f"/studies/{study.pk}/").content.decode()

    assert "data-member-form" in html["owner"] and "data-link-form" in html["owner"]
    assert "data-note-form" in html["owner"] and 'data-action="delete"' in html["owner"]
    assert "data-member-form" not in html["viewer"] and "share-links" not in html["viewer"]
    assert "data-note-form" not in html["viewer"] and "In plain words" in html["viewer"]
    assert 'data-action="start"' not in html["viewer"] and 'data-action="delete"' not in html["viewer"]


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_every_role_and_a_share_link_open_the_same_view_and_template(client, people, study, link_token, role):
    client.force_login(people[role])
    member = client.get(f"/studies/{study.pk}/")
    client.logout()

    shared = client.get(f"/share/{link_token}/")

    assert member.resolver_match.func is shared.resolver_match.func
    assert [t.name for t in member.templates][0] == [t.name for t in shared.templates][0] == "dashboard/study_detail.html"


def test_password_change_page_works(client, people):
    client.force_login(people["viewer"])

    response = client.post("/accounts/password/", {"old_password": "pass-vera-123", "new_password1": "n3w-Secret-pass!",
                                                   "new_password2": "n3w-Secret-pass!"})

    assert response.status_code == 302
    people["viewer"].refresh_from_db()
    assert people["viewer"].check_password("n3w-Secret-pass!")


def test_compare_shows_only_studies_the_user_may_see(client, people, study):
    mine = make_study(people["stranger"], name="stranger tpe", sampler={"name": "tpe"})
    add_trials(mine, [("complete", 0.1, {"x": 0.2, "y": 0.3})])
    client.force_login(people["viewer"])

    response = client.get(f"/compare/?ids={study.pk}&ids={mine.pk}")

    assert [row["study"].pk for row in response.context["rows"]] == [study.pk]
    assert "stranger tpe" not in response.content.decode()


def test_compare_overlays_two_studies_and_tabulates_best_params(client, people, study):
    other = make_study(people["owner"], name="tpe run", sampler={"name": "tpe"})
    add_trials(other, [("complete", 0.05, {"x": 0.45, "y": 0.2})])
    client.force_login(people["owner"])

    response = client.get(f"/compare/?ids={study.pk}&ids={other.pk}")

    figures = response.context["figures"]
    assert len([t for t in figures["history"]["traces"] if t["mode"] == "lines"]) == 2
    assert figures["best"]["traces"][0]["y"] == [0.0, 0.05]
    assert response.context["best_params"]["columns"] == [("x", "x"), ("y", "y")]


def test_trial_note_context_holds_only_that_trials_note(people, study):
    trial = study.trials.get(number=3)
    Note.objects.create(study=study, trial=trial, text="odd one", updated_by=people["owner"])
    Note.objects.create(study=study, text="study-wide", updated_by=people["owner"])
    found = context.trial_page(access.visitor(people["editor"], study), trial)

    assert [note["text"] for note in found["notes"]] == ["odd one"] and found["may"]["edit_notes"]


def test_compare_takes_the_readmes_comma_separated_ids(client, people, study):
    other = make_study(people["owner"], name="tpe run", sampler={"name": "tpe"})
    add_trials(other, [("complete", 0.05, {"x": 0.45, "y": 0.2})])
    client.force_login(people["owner"])

    response = client.get(f"/compare/?ids={study.pk},{other.pk}")

    assert [row["study"].pk for row in response.context["rows"]] == [study.pk, other.pk]


def test_compare_ignores_ids_too_large_for_a_database(client, people, study):
    client.force_login(people["owner"])

    response = client.get(f"/compare/?ids={10**20},{study.pk}")

    assert response.status_code == 200 and [row["study"].pk for row in response.context["rows"]] == [study.pk]
