"""The importance service: what the engine finds about a study's parameters, cached and kept."""

import pytest
from django.core.cache import cache

from studies.models import Study
from studies.services import figures, importance, read
from tests.roles import add_trials, make_study
from tests.services.test_summary import AUTO_SPACE, kind_decides

pytestmark = pytest.mark.django_db


def test_the_leading_setting_of_each_kind_of_model_is_kept_with_the_figures(owner, monkeypatch):
    monkeypatch.setattr(read, "KEPT_FROM", 30)  # figures are kept for a study this small
    study = make_study(owner, space=AUTO_SPACE, directions=["maximize"])
    add_trials(study, kind_decides())
    fitted = importance.importance_of(study)
    assert figures.keep_figures(study.pk)
    cache.clear()

    kept = importance.importance_of(Study.objects.get(pk=study.pk))

    assert kept.leads == fitted.leads == {("estimator", "svm"): "svm__C"}
    assert kept.scores == fitted.scores
