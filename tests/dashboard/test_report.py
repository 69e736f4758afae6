"""The self-contained HTML report (the best model: test_best_model_*.py)."""

import re

import pytest

from studies.services.notes import save_note
from tests.roles import people, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_report_is_one_file_with_plotly_figures_summary_best_params_and_notes(client, people, study):
    save_note(study.pk, None, "Use **x = 0.5**", people["owner"])
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{study.pk}/report.html")

    html = response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="study-{study.pk}-report.html"'
    assert "Plotly" in html and len(html) > 1_200_000  # plotly.js (our partial bundle) inlined
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing to fetch
    assert 'id="report-data"' in html and "chart-parallel" in html and "chart-history" in html
    assert "In plain words" in html and "<strong>x = 0.5</strong>" in html
    assert "The best 10 trials" in html
