"""Charts that cannot say anything for a study are left out, each with a one-line reason."""

import pytest

from dashboard.charts import left_out
from tests.dashboard.conftest import CATEGORICAL_SPACE, make_study

pytestmark = pytest.mark.django_db

ONE_NUMBER = {"C": {"type": "float", "low": 0.001, "high": 1000, "log": True}}
ONE_NUMBER_ONE_CHOICE = {**ONE_NUMBER, "kernel": {"type": "categorical", "choices": ["rbf", "linear"]}}


@pytest.mark.parametrize("chart, reason", [
    ("contour", "The contour map is left out: it plots two parameters against each other, and this study has one."),
    ("importance", "Parameter importance is left out: this study has one parameter"),
])
def test_a_chart_that_cannot_say_anything_with_one_parameter_is_left_out_with_its_reason(site, owner, chart, reason):
    study = make_study(owner, space=ONE_NUMBER)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert f'id="chart-{chart}"' not in page
    assert reason in page


def test_contour_is_drawn_with_a_number_and_a_choice(site, owner):
    study = make_study(owner, space=ONE_NUMBER_ONE_CHOICE)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="chart-contour"' in page
    assert "left out" not in page


def test_contour_is_drawn_with_two_choices(owner):
    study = make_study(owner, space=CATEGORICAL_SPACE)

    assert left_out(study) == {}


def test_importance_is_drawn_with_two_parameters(site, owner):
    study = make_study(owner, space=ONE_NUMBER_ONE_CHOICE)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="chart-importance"' in page


def test_report_leaves_the_same_charts_out_with_their_reasons(site, owner):
    study = make_study(owner, space=ONE_NUMBER)

    page = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert 'id="chart-contour"' not in page and 'id="chart-importance"' not in page
    assert page.count('class="muted chart-left-out"') == 2
