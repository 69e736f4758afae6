"""An excluded trial on the pages: marked with its reason (and who, for those who may see people),
controls only for those who may exclude, and left out of the charts and the live best."""

import csv
import io
import json

import pytest

from studies.models import Trial
from studies.services import exclusions
from tests.roles import link_token, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
REASON = "ran on the machine with the broken GPU"


def _exclude(study, user, number=5):
    trial = Trial.objects.get(study=study, number=number)
    exclusions.exclude_trial(trial.pk, REASON, user)
    return trial


def _trial_page(client, user, study, number=5):
    client.force_login(user)
    return client.get(f"/studies/{study.pk}/trials/{number}/").content.decode()


def test_the_trial_page_shows_the_mark_the_reason_and_who(client, people, study):
    _exclude(study, people["editor"])

    html = _trial_page(client, people["viewer"], study)

    assert 'data-testid="exclusion"' in html and REASON in html and "by edgar" in html


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owner_and_editor_get_exclude_on_a_counted_trial(client, people, study, role):
    html = _trial_page(client, people[role], study)

    assert 'data-open-dialog="exclude-dialog"' in html and 'id="exclude-form"' in html
    assert "data-include-trial" not in html


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_owner_and_editor_get_include_again_on_an_excluded_trial(client, people, study, role):
    _exclude(study, people["owner"])

    html = _trial_page(client, people[role], study)

    assert "data-include-trial" in html and "exclude-dialog" not in html


def test_a_viewer_sees_the_mark_but_no_control(client, people, study):
    _exclude(study, people["owner"])

    html = _trial_page(client, people["viewer"], study)

    assert REASON in html
    assert "exclusion-controls" not in html and "exclude-dialog" not in html


def test_the_study_page_gives_the_table_exclude_controls_to_owner_and_editor_only(client, people, study):
    html, rows = {}, {}
    for role in ("editor", "viewer"):
        client.force_login(people[role])
        html[role] = client.get(f"/studies/{study.pk}/").content.decode()
        rows[role] = client.get(f"/studies/{study.pk}/trials.json").json()["rows"]

    assert 'id="exclude-dialog"' in html["editor"] and "/api/trials/0/exclude/" in html["editor"]
    assert 'id="exclude-dialog"' not in html["viewer"] and "/exclude/" not in html["viewer"]
    assert all("id" in row for row in rows["editor"])


def test_a_running_trial_offers_no_exclude(client, people, study):
    running = study.trials.get(state="running")

    html = _trial_page(client, people["owner"], study, number=running.number)

    assert "exclusion-controls" not in html


def test_a_share_link_sees_the_reason_but_not_who(client, people, study, link_token):
    _exclude(study, people["editor"])

    html = client.get(f"/share/{link_token}/trials/5/").content.decode()

    assert REASON in html and "edgar" not in html and "exclusion-controls" not in html


def test_the_live_points_mark_the_excluded_trial_and_the_best_skips_it(client, people, study):
    _exclude(study, people["owner"])
    client.force_login(people["viewer"])

    body = client.get(f"/studies/{study.pk}/live.json?since=0").json()

    assert [point["n"] for point in body["points"] if point.get("x")] == [5]
    assert body["header"]["best"]["number"] != 5


def test_the_trial_table_marks_the_excluded_row_with_its_reason(client, people, study):
    _exclude(study, people["owner"])
    client.force_login(people["viewer"])

    rows = client.get(f"/studies/{study.pk}/trials.json").json()["rows"]

    assert [(row["number"], row["exclusion_reason"]) for row in rows if row["excluded"]] == [(5, REASON)]


def test_the_exports_say_when_and_why_a_trial_was_excluded(client, people, study):
    _exclude(study, people["owner"])
    client.force_login(people["viewer"])

    rows = json.loads(b"".join(client.get(f"/studies/{study.pk}/export.json").streaming_content))
    text = b"".join(client.get(f"/studies/{study.pk}/export.csv").streaming_content).decode()

    assert [(row["number"], row["exclusion_reason"]) for row in rows if row["excluded_at"]] == [(5, REASON)]
    assert [row["number"] for row in csv.DictReader(io.StringIO(text)) if row["exclusion_reason"]] == ["5"]


def test_the_charts_leave_the_excluded_trial_out(client, people, study):
    client.force_login(people["viewer"])
    before = client.get(f"/studies/{study.pk}/charts/edf.json").json()["traces"][0]["x"]

    _exclude(study, people["owner"])
    after = client.get(f"/studies/{study.pk}/charts/edf.json").json()["traces"][0]["x"]

    assert Trial.objects.get(study=study, number=5).value == 0.0  # the only trial at 0.0
    assert (len(after), 0.0 in before, 0.0 in after) == (len(before) - 1, True, False)
