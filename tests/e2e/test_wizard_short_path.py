"""The data step shows what it leaves out and what looks like the answer in disguise, and the
recommended settings start a study with it. (The six actions from the login page to a running
study are in test_first_time_user_journey.py.)"""

import random
import re

import pytest

from studies.models import Study
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _churn_csv(path, n_rows=150, seed=0, leak=True, churn_rate=0.3):
    """A churn table with an ID, a constant column, a cell that looks like HTML, two rows whose
    answer is missing, and (with `leak`) a copy of the answer under other labels."""
    rng = random.Random(seed)
    lines = ["customer_id,country,tenure_months,monthly_fee,plan" + (",cancelled_flag" if leak else "") + ",churn"]
    for i in range(n_rows):
        tenure, fee = rng.randint(1, 72), rng.uniform(10, 120)
        churned = rng.random() < churn_rate * (0.5 + fee / 120)
        plan = rng.choice(["basic", "pro", "<b>family</b>"])
        answer = "" if i in (5, 6) else ("yes" if churned else "no")
        flag = (",Y" if churned else ",N") if leak else ""
        lines.append(f"C{9000 + i},Norway,{tenure},{fee:.2f},{plan}{flag},{answer}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _upload(page, csv, ready="#quick-start:not([hidden])"):
    page.goto("/studies/new/")
    page.set_input_files("#csv-file", str(csv))
    page.wait_for_selector(ready)


def _running_or_done(page):
    page.wait_for_url(re.compile(r".*/studies/\d+/$"))
    page.wait_for_selector(".badge-running, .badge-completed", timeout=60_000)


def test_recommended_settings_leave_out_the_id_and_the_constant_column(logged_in, tmp_path, celery_worker_process):
    page = logged_in
    _upload(page, _churn_csv(tmp_path / "churn.csv"))

    page.click("#quick-start")

    _running_or_done(page)
    assert Study.objects.get().objective["exclude"] == ["customer_id", "country"]


def test_a_column_that_gives_the_answer_away_is_excluded_in_one_click(logged_in, tmp_path, celery_worker_process):
    page = logged_in
    _upload(page, _churn_csv(tmp_path / "churn.csv"), ready="#data-notes li.warn")
    screenshot(page, "data-step-leak-and-id")

    page.click("#data-notes li.warn button:has-text(\"Exclude 'cancelled_flag'\")")
    page.click("#quick-start")

    _running_or_done(page)
    assert Study.objects.get().objective["exclude"] == ["customer_id", "country", "cancelled_flag"]


def test_any_column_can_be_left_out_with_its_box(logged_in, tmp_path, celery_worker_process):
    page = logged_in
    _upload(page, _churn_csv(tmp_path / "churn.csv"))

    page.uncheck("#preview [data-column='plan']")
    page.check("#preview [data-column='customer_id']")
    page.click("#quick-start")

    _running_or_done(page)
    assert Study.objects.get().objective["exclude"] == ["country", "plan"]


def test_the_data_step_says_what_it_leaves_out_and_why(logged_in, tmp_path):
    page = logged_in

    _upload(page, _churn_csv(tmp_path / "churn.csv"), ready="#data-notes li.warn")

    notes = page.inner_text("#data-notes")
    assert "2 rows have no value in 'churn' and will be left out." in notes
    assert "'customer_id' is left out" in notes and "'country' is left out" in notes
    assert "'cancelled_flag' alone predicts 'churn' almost perfectly" in notes
    assert page.input_value("#target") == "churn"
    assert page.input_value("#estimator") == "auto"
    assert page.inner_text("#next") == "Advanced settings"
    assert page.input_value("#name") == "churn"
    assert page.inner_text("#target-reason") == "'churn' is named like the column to predict; change it if you want another."


def test_cells_that_look_like_html_are_shown_as_text(logged_in, tmp_path):
    page = logged_in

    _upload(page, _churn_csv(tmp_path / "churn.csv"), ready="#preview tbody tr")

    assert "<b>family</b>" in page.inner_text("#preview tbody")
    assert page.locator("#preview tbody b").count() == 0


def test_column_names_that_look_like_html_are_shown_as_text(logged_in, tmp_path):
    page = logged_in
    hostile = "<img src=x id=pwned>"
    rows = [f"row{i},{i % 5},{'a' if i % 3 else 'b'}" for i in range(40)]
    (tmp_path / "hostile.csv").write_text(f"{hostile},visits,outcome\n" + "\n".join(rows) + "\n")

    _upload(page, tmp_path / "hostile.csv", ready="#data-notes li")

    assert f"'{hostile}' is left out" in page.inner_text("#data-notes")
    assert hostile in page.text_content("#preview thead")  # inner_text reads it upper-cased, as the CSS shows it
    assert page.locator("#pwned").count() == 0


def test_a_column_kept_against_the_advice_says_so(logged_in, tmp_path):
    page = logged_in
    _upload(page, _churn_csv(tmp_path / "churn.csv"), ready="#data-notes li")

    page.click("#data-notes button:has-text(\"Use 'customer_id' anyway\")")

    assert "You use 'customer_id' although every row has a different value" in page.inner_text("#data-notes")
    assert page.is_checked("#preview [data-column='customer_id']")


def test_duplicating_a_study_keeps_the_columns_it_left_out(logged_in, user, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from studies.services import create_study, upload_dataset

    csv = _churn_csv(tmp_path / "churn.csv")
    dataset = upload_dataset(user, SimpleUploadedFile("churn.csv", csv.read_bytes(), "text/csv"))
    study = create_study(user, {
        "name": "churn", "budget": {"n_trials": 5},
        "objective": {"kind": "sklearn", "estimator": "auto", "dataset": f"csv:{dataset.pk}", "target": "churn",
                      "exclude": ["plan", "cancelled_flag"]},
    })
    page = logged_in

    page.goto(f"/studies/new/?from={study.pk}")
    page.wait_for_selector("#preview [data-column='plan']")

    assert not page.is_checked("#preview [data-column='plan']")
    assert not page.is_checked("#preview [data-column='cancelled_flag']")
    assert page.is_checked("#preview [data-column='customer_id']")


def test_a_class_rarer_than_the_folds_is_said_beside_the_folds_and_no_study_is_made(logged_in, tmp_path):
    rare = tmp_path / "fraud.csv"
    rare.write_text("tenure,plan,fraud\n" + "".join(f"{i % 60},{'ab'[i % 2]},{'yes' if i < 3 else 'no'}\n"
                                                    for i in range(120)))
    _upload(logged_in, rare)

    logged_in.click("#quick-start")

    message = logged_in.locator('[data-error-for="objective.cv"]')
    message.wait_for()
    assert message.inner_text().startswith("class 'yes' has only 3 rows, fewer than the 5 folds")
    assert Study.objects.count() == 0
    logged_in.fill("#cv", "3")
    logged_in.click("#quick-start")
    _running_or_done(logged_in)


def test_a_column_of_dates_is_shown_as_dates_explained_and_left_out_in_one_click(logged_in, tmp_path):
    sales = tmp_path / "sales.csv"
    sales.write_text("sold_on,rooms,price\n" + "".join(f"2024-{1 + i % 12:02d}-0{1 + i % 3},{i % 6},{100 + i * 7 % 50}\n"
                                                        for i in range(80)))
    _upload(logged_in, sales)
    note = logged_in.locator("#data-notes li:has-text(\"'sold_on' holds dates\")")

    assert logged_in.locator("#preview th:has-text('sold_on') small").inner_text() == "date"
    assert note.inner_text().startswith(
        "'sold_on' holds dates: Tuner reads each as the days since 1 January 1970, so a model can learn a trend "
        "over time; a pattern by month or day of the week it cannot see")
    screenshot(logged_in, "data-step-dates")
    note.locator("button:has-text(\"Leave 'sold_on' out\")").click()
    logged_in.click("#quick-start")

    logged_in.wait_for_url(re.compile(r".*/studies/\d+/$"))
    assert Study.objects.get().objective["exclude"] == ["sold_on"]
