"""The self-contained HTML report, and the best model refitted on the whole dataset."""

import io
import re

import joblib
import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_iris

from sharing import services

from .conftest import add_trials, make_study

pytestmark = pytest.mark.django_db
IRIS = {"kind": "sklearn", "estimator": "logistic_regression", "dataset": "iris", "metric": "accuracy", "cv": 3}


@pytest.fixture
def iris_study(people):
    study = make_study(people["owner"], space={"C": {"type": "float", "low": 0.01, "high": 100, "log": True}},
                       directions=["maximize"], objective=IRIS, state="completed")
    add_trials(study, [("complete", 0.90, {"C": 0.05}), ("complete", 0.97, {"C": 7.5}), ("pruned", None, {"C": 0.02})])
    services.add_member(study.pk, "edgar", "editor")
    services.add_member(study.pk, "vera", "viewer")
    return study


def test_report_is_one_file_with_plotly_figures_summary_best_params_and_notes(client, people, study):
    services.save_note(study.pk, None, "Use **x = 0.5**", people["owner"])
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{study.pk}/report.html")

    html = response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="study-{study.pk}-report.html"'
    assert "Plotly" in html and len(html) > 3_000_000  # plotly.js inlined
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing to fetch
    assert 'id="report-figures"' in html and "chart-parallel" in html and "chart-history" in html
    assert "In plain words" in html and "<strong>x = 0.5</strong>" in html
    assert "The best 10 trials" in html


def test_best_model_is_refitted_on_the_whole_dataset(client, people, iris_study):
    client.force_login(people["viewer"])

    response = client.get(f"/studies/{iris_study.pk}/best-model.joblib")

    model = joblib.load(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    X, y = load_iris(return_X_y=True)
    assert model.named_steps["model"].C == 7.5
    assert (model.predict(X) == y).mean() > 0.9


def test_snippet_names_the_version_and_rebuilds_the_same_model(client, people, iris_study):
    client.force_login(people["owner"])
    saved = joblib.load(io.BytesIO(client.get(f"/studies/{iris_study.pk}/best-model.joblib").content))

    text = client.get(f"/studies/{iris_study.pk}/best-model.py").content.decode()

    assert f"scikit-learn {sklearn.__version__}" in text
    rebuild = text.split("# To rebuild and refit it yourself:")[1]
    scope = {}
    exec(compile(rebuild, "snippet", "exec"), scope)  # noqa: S102 — our own generated text
    X, _ = load_iris(return_X_y=True)
    assert np.array_equal(scope["model"].predict(X), saved.predict(X))


def test_model_of_a_study_without_a_built_in_model_answers_404(client, people, study):
    client.force_login(people["owner"])

    assert client.get(f"/studies/{study.pk}/best-model.joblib").status_code == 404


@pytest.mark.parametrize("role,status", [("owner", 200), ("editor", 200), ("viewer", 200), ("stranger", 404)])
def test_model_download_follows_the_role(client, people, iris_study, role, status):
    client.force_login(people[role])

    assert client.get(f"/studies/{iris_study.pk}/best-model.py").status_code == status
