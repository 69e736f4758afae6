"""In Chromium: a study that lets Tuner choose among three kinds of model runs on a real worker; its
page fills in the leaderboard, the baseline beside the best value and the result in words as the
workers add them, and a share link opened logged out shows the same."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from studies import services
from studies.services import share_links
from tests.e2e.conftest import log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _churn_csv(n_rows=300, seed=0):
    """customers.csv: about two in three customers stay ("no"); short, cheap contracts leave more often."""
    rng = random.Random(seed)
    lines = ["tenure_months,monthly_fee,plan,churn"]
    for _ in range(n_rows):
        tenure, fee, plan = rng.randint(1, 72), rng.uniform(10, 120), rng.choice(["basic", "plus", "pro"])
        leaves = fee / 120 - tenure / 72 + (0.2 if plan == "basic" else 0) + rng.gauss(0, 0.3) > 0.3
        lines.append(f"{tenure},{fee:.2f},{plan},{'yes' if leaves else 'no'}")
    return SimpleUploadedFile("customers.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


@pytest.fixture
def finished_result(user, celery_worker_process):
    dataset = services.upload_dataset(user, _churn_csv())
    study = services.create_study(user, {
        "name": "Who leaves us", "budget": {"n_trials": 9}, "sampler": {"name": "random", "seed": 2},
        "objective": {"kind": "sklearn", "estimator": ["logistic_regression", "knn", "random_forest"],
                      "dataset": f"csv:{dataset.pk}", "target": "churn", "metric": "accuracy", "cv": 3}})
    services.start_study(study.pk)
    return study


def _wait_for_the_whole_result(page):
    page.wait_for_selector("#leaderboard [data-leaderboard-rows] tr:nth-child(2)", timeout=120_000)
    page.wait_for_selector("[data-baseline]:not([hidden])", timeout=120_000)
    page.wait_for_selector("#leaderboard tr[data-row=ensemble]", timeout=120_000)
    page.wait_for_function("(document.getElementById('chart-history').data || [])"
                           ".some(t => t.name === 'guess without the columns')", timeout=30_000)


def test_the_study_page_shows_the_leaderboard_the_baseline_and_the_result_in_words(page, user, finished_result):
    log_in(page, user.username)

    page.goto(f"/studies/{finished_result.pk}/")
    _wait_for_the_whole_result(page)
    page.wait_for_function("document.querySelector('[data-summary] li[data-key=result]') !== null", timeout=30_000)
    screenshot(page, "results-study-page")

    assert page.locator("#leaderboard [data-leaderboard-rows] tr").count() == 3
    assert "always answering 'no'" in page.inner_text("[data-baseline]")
    summary = page.inner_text("[data-summary]")
    assert "The model predicts the column 'churn' from the other columns of customers.csv." in summary
    assert "of every 100 rows (accuracy" in summary


def test_a_share_link_opened_logged_out_shows_the_same_result(page, user, finished_result):
    _, token = share_links.create_share_link(finished_result.pk, user)

    page.goto(f"/share/{token}/")
    _wait_for_the_whole_result(page)
    screenshot(page, "results-share-page")

    assert page.locator("#leaderboard [data-leaderboard-rows] tr").count() == 3
    assert "The model predicts the column 'churn'" in page.inner_text("[data-summary]")
