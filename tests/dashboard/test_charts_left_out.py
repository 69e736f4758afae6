"""Charts that cannot say anything for a study are left out, each with a one-line reason."""

import pytest

from dashboard.charts import left_out
from tests.dashboard.conftest import CATEGORICAL_SPACE, make_study

pytestmark = pytest.mark.django_db

ONE_NUMBER = {"C": {"type": "float", "low": 0.001, "high": 1000, "log": True}}
ONE_NUMBER_ONE_CHOICE = {**ONE_NUMBER, "kernel": {"type": "categorical", "choices": ["rbf", "linear"]}}


def test_contour_is_left_out_with_one_parameter(site, owner):
    study = make_study(owner, space=ONE_NUMBER)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="chart-contour"' not in page
    assert "The contour map is left out: it plots two parameters against each other, and this study has one." in page


def test_contour_is_drawn_with_a_number_and_a_choice(site, owner):
    study = make_study(owner, space=ONE_NUMBER_ONE_CHOICE)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="chart-contour"' in page
    assert "left out" not in page


def test_contour_is_drawn_with_two_choices(owner):
    study = make_study(owner, space=CATEGORICAL_SPACE)

    assert left_out(study) == {}


def test_importance_is_left_out_with_one_parameter(site, owner):
    study = make_study(owner, space=ONE_NUMBER)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="chart-importance"' not in page
    assert "Parameter importance is left out: this study has one parameter" in page


def test_importance_is_drawn_with_two_parameters(site, owner):
    study = make_study(owner, space=ONE_NUMBER_ONE_CHOICE)

    page = site.get(f"/studies/{study.pk}/").content.decode()

    assert 'id="chart-importance"' in page


def test_report_leaves_the_same_charts_out_with_their_reasons(site, owner):
    study = make_study(owner, space=ONE_NUMBER)

    page = site.get(f"/studies/{study.pk}/report.html").content.decode()

    assert 'id="chart-contour"' not in page and 'id="chart-importance"' not in page
    assert page.count('class="muted chart-left-out"') == 2
