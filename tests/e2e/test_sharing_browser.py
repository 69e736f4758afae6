"""In Chromium: a share link updates live while the study runs and survives a reload; the
HTML report opens from disk with no network and draws its charts; both fit a phone. The best
model is prepared on a worker from the study page and downloads."""


import joblib
import pytest
from sklearn.datasets import load_iris

from dashboard import report
from studies import access
from studies import services as study_services
from studies.models import Study
from studies.services import read, share_links
from studies.services.notes import save_note
from tests.e2e.conftest import ARTIFACTS, log_in, open_tab, screenshot
from tests.roles import add_trials, iris_study, make_study, people  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
HEADER_DONE = "Number(document.querySelector('[data-field=done]').textContent)"


def test_share_link_updates_live_and_survives_a_reload(browser, live_server, celery_worker_process, people):
    spec = {"name": "Churn model", "objective": {"kind": "sklearn", "estimator": "random_forest",
                                                 "dataset": "breast_cancer", "metric": "accuracy", "cv": 3},
            "budget": {"n_trials": 10, "parallelism": 2}, "sampler": {"name": "random", "seed": 3}}
    study = study_services.create_study(people["owner"], spec)
    _, token = share_links.create_share_link(study.pk, people["owner"])
    errors = []
    tab = open_tab(browser, errors, viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    tab.goto(f"/share/{token}/")
    tab.wait_for_selector("[data-field=done]")
    assert tab.evaluate(HEADER_DONE) == 0

    study_services.start_study(study.pk)

    tab.wait_for_function(f"{HEADER_DONE} >= 2", timeout=90_000)
    tab.wait_for_function("(document.getElementById('chart-history').data || []).some(t => t.mode === 'markers')")
    tab.reload()
    tab.wait_for_selector("#chart-history .main-svg")
    tab.wait_for_function("document.querySelector('[data-field=state]').textContent === 'completed'", timeout=120_000)
    tab.wait_for_function("document.querySelectorAll('#trial-table tbody tr').length >= 8")
    tab.wait_for_function("document.querySelector('[data-summary] [data-key=settled]') !== null")
    screenshot(tab, "share-live-desktop")
    assert "olivia" not in tab.content()
    assert tab.locator("button[data-action], [data-note-form], [data-member-form], [data-link-form]").count() == 0

    phone = open_tab(browser, errors, viewport=PHONE, base_url=live_server.url, is_mobile=True, device_scale_factor=2)
    phone.goto(f"/share/{token}/")
    phone.wait_for_selector("#chart-history .main-svg")
    phone.wait_for_function("document.querySelectorAll('#trial-table tbody tr').length >= 8")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # nothing wider than the phone
    screenshot(phone, "share-live-phone", part_height=844)
    assert not errors, errors


def test_report_opens_from_disk_with_no_network_and_draws_its_charts(browser, people, tmp_path):
    study = make_study(people["owner"], name="Offline report", state="completed")
    add_trials(study, [("complete", (i % 9 - 4) ** 2 / 3 + i / 100, {"x": (i % 9) / 9, "y": i / 30}) for i in range(30)]
               + [("pruned", None, {"x": 0.9, "y": 0.9}, 4.0)])
    save_note(study.pk, None, "Chosen for **production** <script>alert(1)</script>", people["owner"])
    annotated = read.with_summary(Study.objects.filter(pk=study.pk).select_related("owner")).get()
    path = tmp_path / "report.html"
    path.write_text(report.build(access.visitor(people["owner"], annotated)), encoding="utf-8")
    errors, requests = [], []
    tab = open_tab(browser, errors, viewport={"width": 1280, "height": 900})
    tab.context.route("http://*/**", lambda route: route.abort())
    tab.context.route("https://*/**", lambda route: route.abort())
    tab.on("request", lambda request: requests.append(request.url))

    tab.goto(path.as_uri())

    tab.wait_for_function("document.body.dataset.chartsDrawn !== undefined")
    drawn = tab.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length")
    assert drawn >= 7
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
    assert tab.locator("#notes strong").inner_text() == "production"
    assert tab.locator("#notes").inner_text().count("<script>alert(1)</script>") == 1
    screenshot(tab, "report-offline")
    assert not errors, errors


def test_best_model_is_prepared_on_a_worker_and_downloaded_from_the_study_page(browser, live_server,
                                                                               celery_worker_process, people,
                                                                               iris_study):
    errors = []
    tab = open_tab(browser, errors, viewport={"width": 1280, "height": 900}, base_url=live_server.url,
                   accept_downloads=True)
    log_in(tab, "vera", "pass-vera-123")
    tab.goto(f"/studies/{iris_study.pk}/")

    tab.click("[data-model-prepare]")

    tab.wait_for_selector("#best-model [data-model-files]:not([hidden])")
    assert tab.locator("[data-model-prepare]").is_hidden()
    assert "Trial #1, refitted on the whole dataset." in tab.locator("[data-model-status]").inner_text()
    tab.locator("#best-model").scroll_into_view_if_needed()
    tab.screenshot(path=str(ARTIFACTS / "best-model-desktop.png"))
    with tab.expect_download() as download:
        tab.click("text=Download model (.joblib)")
    assert download.value.suggested_filename == f"study-{iris_study.pk}-best-model.joblib"
    X, y = load_iris(return_X_y=True)
    assert (joblib.load(download.value.path()).predict(X) == y).mean() > 0.9

    phone = open_tab(browser, errors, viewport=PHONE, base_url=live_server.url, is_mobile=True, device_scale_factor=2,
                     storage_state=tab.context.storage_state())
    phone.goto(f"/studies/{iris_study.pk}/")
    phone.wait_for_selector("#best-model [data-model-files]:not([hidden])")
    phone.locator("#best-model").scroll_into_view_if_needed()
    assert phone.evaluate("document.getElementById('best-model').getBoundingClientRect().right") <= PHONE["width"]
    phone.screenshot(path=str(ARTIFACTS / "best-model-phone.png"))
    for each in (tab, phone):  # stop their polling before the live server goes
        each.context.close()
    assert not errors, errors


def test_a_new_share_link_is_listed_at_once_and_opens_the_same_study_page(browser, live_server, people):
    study = make_study(people["owner"], name="Shared in the header")
    add_trials(study, [("complete", i / 10, {"x": i / 10, "y": 0.5}) for i in range(6)])
    errors = []
    tab = open_tab(browser, errors, viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    log_in(tab, "olivia", "pass-olivia-123")
    tab.goto(f"/studies/{study.pk}/")
    tab.click("[data-open-dialog=share-dialog]")
    tab.wait_for_selector("[data-link-rows] td:has-text('No links yet.')")

    tab.click("[data-link-form] button[type=submit]")

    tab.wait_for_selector("[data-link-rows] td:has-text('active')")
    url = tab.input_value("[data-new-link-url]")
    assert "No links yet." not in tab.inner_text("[data-link-rows]")
    screenshot(tab, "share-dialog")
    visitor = open_tab(browser, errors, viewport={"width": 1280, "height": 900})
    visitor.goto(url)
    visitor.wait_for_selector("#chart-history .main-svg")
    assert visitor.inner_text("h1").startswith("Shared in the header")
    assert visitor.locator("[data-open-dialog], button[data-action]").count() == 0
    screenshot(visitor, "share-link-visitor")
    for each in (tab, visitor):
        each.context.close()
    assert not errors, errors
