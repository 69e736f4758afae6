"""In Chromium: a member opens a completed study and sees what drives its best model (each
chart with its caption, column names shown as typed), predicts on a second CSV and downloads
it; a share link sees the same explanation and no Predict panel."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies import services as study_services
from studies.models import Explanation
from studies.services import share_links
from tests.conftest import wait_for
from tests.e2e.conftest import log_in, open_tab, screenshot
from tests.roles import iris_study, join_as, people  # noqa: F401 (fixtures)
from tests.tasks.test_explain_and_predict_on_a_worker import churn_csv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
HOSTILE = "<b>region</b>"


@pytest.fixture
def explained(celery_worker_process, people):
    """A churn study on an uploaded CSV (one column named like markup), completed and explained by the worker."""
    content = churn_csv().replace(b"region", HOSTILE.encode(), 1)
    dataset = study_services.upload_dataset(people["owner"], SimpleUploadedFile("churn.csv", content))
    study = study_services.create_study(people["owner"], {
        "name": "Who leaves us", "objective": {"kind": "sklearn", "estimator": "random_forest",
                                               "dataset": f"csv:{dataset.pk}", "target": "churn", "cv": 3},
        "search_space": {"max_depth": {"type": "int", "low": 2, "high": 6}}, "budget": {"n_trials": 3}})
    join_as(study.pk, "vera", "viewer")
    study_services.start_study(study.pk)
    wait_for(lambda: Explanation.objects.filter(study=study, state__in=["ready", "failed"]).exists(), timeout_s=240)
    assert Explanation.objects.get(study=study).state == "ready", Explanation.objects.get(study=study).error
    return study


def test_a_member_sees_the_explanation_and_predicts_on_a_second_csv(browser, live_server, explained):
    errors = []
    tab = open_tab(browser, errors, 30_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url,
                   accept_downloads=True)
    log_in(tab, "vera", "pass-vera-123")

    tab.goto(f"/studies/{explained.pk}/")
    tab.wait_for_selector("#chart-explain-columns .main-svg")
    tab.wait_for_selector("#chart-explain-confusion .main-svg")
    captions = tab.locator("#explain [data-explain-chart] .caption").all_text_contents()
    tab.set_input_files("#predict-file", {"name": "old.csv", "mimeType": "text/csv", "buffer": churn_csv(30)})
    tab.click("#predict-form button[type=submit]")
    refusal = tab.wait_for_selector("[data-predict-error]", state="visible").text_content()
    next_month = churn_csv(30, seed=1).replace(b"region", HOSTILE.encode(), 1).replace(b",churn", b",note")
    tab.set_input_files("#predict-file", {"name": "next month.csv", "mimeType": "text/csv", "buffer": next_month})
    tab.click("#predict-form button[type=submit]")
    link = tab.wait_for_selector("[data-predict-download] a", state="visible", timeout=60_000)
    screenshot(tab, "explain-and-predict")
    with tab.expect_download() as download:
        link.click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))

    assert refusal == f"the file lacks the column the model needs: '{HOSTILE}'"
    assert len(captions) >= 3 and all(caption.strip() for caption in captions)
    assert "Which columns the model leans on most" in captions[0]
    assert tab.locator("#explain b").count() == 0 and HOSTILE in tab.inner_html("#chart-explain-columns").replace(
        "&lt;", "<").replace("&gt;", ">")
    assert download.value.suggested_filename == "next month-predictions.csv"
    assert list(rows[0]) == ["tenure", "plan", HOSTILE, "note", "prediction", "probability_no", "probability_yes"]
    assert len(rows) == 30
    tab.context.close()
    assert not errors, errors


def test_a_share_link_sees_the_explanation_and_no_predict_panel(browser, live_server, explained, people):
    _, token = share_links.create_share_link(explained.pk, people["owner"])
    errors = []
    tab = open_tab(browser, errors, viewport={"width": 1366, "height": 900}, base_url=live_server.url)

    tab.goto(f"/share/{token}/")
    tab.wait_for_selector("#chart-explain-columns .main-svg", timeout=30_000)
    screenshot(tab, "explain-share-link")

    assert tab.locator("#predict").count() == 0
    assert tab.locator("#explain [data-explain-chart]").count() >= 3
    tab.context.close()
    assert not errors, errors


def test_an_owner_has_an_unexplained_study_worked_out_from_the_page(browser, live_server, celery_worker_process,
                                                                    iris_study):
    errors = []
    tab = open_tab(browser, errors, 60_000, viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")

    tab.goto(f"/studies/{iris_study.pk}/")
    tab.click("[data-explain-ask]")
    tab.wait_for_selector("#chart-explain-confusion .main-svg")

    assert tab.locator("[data-explain-ask]").is_hidden()
    assert tab.locator("#explain [data-explain-chart]").count() >= 3
    tab.context.close()
    assert not errors, errors
