"""The explanation and the Predict panel on the study page, the share page and the report: the
explanation for every visitor, the Predict panel only for members who may use the model."""

import json
import re

import pytest

from studies.services import share_links
from tests.roles import iris_explanation, iris_study, people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def explained(iris_explanation):
    return iris_explanation.study


@pytest.fixture
def link(explained, people):
    return f"/share/{share_links.create_share_link(explained.pk, people['owner'])[1]}/"


@pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
def test_members_get_the_explanation_and_the_predict_panel(role, client, explained, people):
    client.force_login(people[role])

    page = client.get(f"/studies/{explained.pk}/").content.decode()
    body = client.get(f"/studies/{explained.pk}/explain.json").json()

    assert 'id="explain"' in page and 'id="predict"' in page and "petal width (cm)" in page
    assert body["state"] == "ready"
    assert [chart["name"] for chart in body["charts"]][:2] == ["explain-columns", "explain-pd-0"]
    assert body["charts"][-1]["name"] == "explain-confusion" and all(chart["caption"] for chart in body["charts"])


def test_a_share_link_gets_the_explanation_without_the_predict_panel(client, explained, link):
    page = client.get(link).content.decode()
    body = client.get(link + "explain.json").json()

    assert 'id="explain"' in page and 'id="predict"' not in page
    assert body["state"] == "ready" and len(body["charts"]) >= 3


def test_only_those_who_may_run_the_study_get_the_button_to_work_it_out_now(client, iris_study, people):
    client.force_login(people["editor"])
    editor_page = client.get(f"/studies/{iris_study.pk}/").content.decode()
    client.force_login(people["viewer"])
    viewer_page = client.get(f"/studies/{iris_study.pk}/").content.decode()

    assert "data-explain-ask" in editor_page and f'data-api="/api/studies/{iris_study.pk}/explain/"' in editor_page
    assert "data-explain-ask" not in viewer_page


def test_the_report_carries_the_explanation_charts_and_captions(client, explained, link):
    report = client.get(link + "report.html").content.decode()

    data = json.loads(re.search(r'<script id="report-data" type="application/json">(.*?)</script>', report, re.S)[1])
    assert "What drives the best model" in report and "Which columns the model leans on most" in report
    assert {"explain-columns", "explain-confusion"} <= set(data["figures"])
    assert 'id="chart-explain-columns"' in report


def test_a_study_of_external_code_shows_neither(client, study, people):
    client.force_login(people["owner"])

    page = client.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="explain"' not in page and 'id="predict"' not in page
    assert client.get(f"/studies/{study.pk}/explain.json").status_code == 404


def test_a_finished_study_never_explained_says_who_can_ask_for_it(client, iris_study, people):
    client.force_login(people["viewer"])

    body = client.get(f"/studies/{iris_study.pk}/explain.json").json()

    assert (body["state"], body["charts"]) == ("none", [])
    assert body["status"] == "Not worked out for this study: the owner or an editor can ask for it."
