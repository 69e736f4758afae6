"""Every page renders for the study shapes that break naive pages."""

import pytest

pytestmark = pytest.mark.django_db

SHAPES = ["empty_study", "one_trial_study", "failed_study", "categorical_study", "multi_study", "busy_study"]


@pytest.mark.parametrize("shape", SHAPES)
def test_study_page_renders(site, shape, request):
    study = request.getfixturevalue(shape)

    response = site.get(f"/studies/{study.pk}/")

    assert response.status_code == 200
    assert study.name in response.content.decode()


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("chart", ["parallel", "slices", "contour", "curves", "edf", "timeline", "pareto", "importance"])
def test_every_chart_answers_json_for_every_shape(site, shape, chart, request):
    study = request.getfixturevalue(shape)

    response = site.get(f"/studies/{study.pk}/charts/{chart}.json?x=lr&y=depth")

    assert response.status_code == 200
    body = response.json()
    assert body["traces"] or body["empty"]
