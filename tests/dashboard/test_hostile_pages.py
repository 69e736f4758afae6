"""Each class of hostile input from issue 16, as the pages meet it: markup and links in names and
choices shown as text on every page, formula cells (after spaces or a line feed) defused in the
CSV export, huge choice lists refused by the wizard as by the API, and ids wider than any column
answered 404 by every page and page action, never 500."""

import csv
import io

import pytest

from studies.services import share_links
from tests.dashboard.conftest import add_trials, make_study

pytestmark = pytest.mark.django_db

LINK = '<a href="https://x.example">win</a>'
SCRIPT = "<script>alert(1)</script>"
HUGE = 10**20


@pytest.fixture
def marked_up(owner):
    space = {"kind": {"type": "categorical", "choices": [LINK, SCRIPT, " =1+2"]}}
    study = make_study(owner, space=space, name=f"{LINK} {SCRIPT}", state="completed")
    add_trials(study, [("complete", 0.1, {"kind": LINK}), ("complete", 0.2, {"kind": SCRIPT}),
                       ("failed", None, {"kind": " =1+2"})])
    return study


def _pages(study, token):
    s = study.pk
    return ["/", f"/studies/{s}/", f"/studies/{s}/trials/0/", f"/studies/{s}/trials/1/", f"/compare/?ids={s}",
            f"/studies/{s}/report.html", f"/share/{token}/", f"/share/{token}/trials/0/", f"/share/{token}/report.html"]


def test_markup_in_a_name_or_choice_is_text_on_every_page(site, marked_up, owner):
    _, token = share_links.create_share_link(marked_up.pk, owner)

    for path in _pages(marked_up, token):
        html = site.get(path).content.decode()
        assert LINK not in html and SCRIPT not in html, path
        assert "&lt;a href=" in html, path


def test_formula_cells_after_spaces_or_a_line_feed_are_defused_in_the_csv_export(site, marked_up):
    from studies.models import Trial

    Trial.objects.filter(study=marked_up, number=2).update(error="\n=HYPERLINK(\"https://x.example\")")

    text = b"".join(site.get(f"/studies/{marked_up.pk}/export.csv").streaming_content).decode()

    rows = {row["number"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["2"]["params.kind"] == "' =1+2"
    assert rows["2"]["error"] == "'\n=HYPERLINK(\"https://x.example\")"


def test_the_wizard_refuses_200000_choices_as_the_api_does(site, api):
    body = {"name": "s", "objective": {"kind": "external"},
            "search_space": {"c": {"type": "categorical", "choices": list(range(200_000))}}}

    from_page = site.post("/studies/new/validate.json", body, content_type="application/json")
    from_api = api.post("/api/studies/", body, format="json")

    assert from_page.status_code == from_api.status_code == 400
    assert from_page.json() == from_api.json()


@pytest.mark.parametrize("method,path", [
    ("get", f"/studies/{HUGE}/"), ("get", f"/studies/{HUGE}/trials/0/"), ("get", f"/studies/{HUGE}/live.json"),
    ("get", f"/studies/{HUGE}/report.html"), ("get", f"/studies/{HUGE}/export.csv"),
    ("get", f"/datasets/{HUGE}/task.json"), ("post", f"/studies/{HUGE}/leave/"),
    ("post", f"/invitations/{HUGE}/accept/"), ("post", f"/invitations/{HUGE}/decline/"),
], ids=lambda value: value if value in ("get", "post") else None)
def test_an_id_wider_than_any_column_answers_404(site, method, path):
    assert getattr(site, method)(path).status_code == 404


def test_a_trial_number_wider_than_any_column_answers_404(site, marked_up):
    assert site.get(f"/studies/{marked_up.pk}/trials/{HUGE}/").status_code == 404
