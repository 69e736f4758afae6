"""Under the metric the wizard shows why it was proposed, or, for any other, what it measures."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _use_template(page, name):
    page.goto("/")
    page.click(f".card:has-text('{name}') >> text=Use this template")
    page.wait_for_selector("#quick-start:not([hidden])")


def test_a_templates_metric_is_explained_not_the_proposed_ones_reason(logged_in):
    page = logged_in

    _use_template(page, "Churn prediction")

    screenshot(page, "template-metric-meaning")
    assert page.input_value("#metric") == "roc_auc"
    assert page.inner_text("#metric-reason").startswith("ROC AUC is the chance that the model ranks")


def test_choosing_another_metric_says_what_it_measures(logged_in):
    page = logged_in
    _use_template(page, "Churn prediction")

    page.select_option("#metric", "log_loss")

    assert page.inner_text("#metric-reason").startswith("Log loss judges the model's confidence")


def test_choosing_the_proposed_metric_again_says_why_it_was_proposed(logged_in):
    page = logged_in
    _use_template(page, "Churn prediction")

    page.select_option("#metric", "accuracy")

    assert "no class is rare enough to make it misleading" in page.inner_text("#metric-reason")
