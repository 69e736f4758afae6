"""Try a demo and templates: one click to a first study."""

import csv
import io

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.model_selection import cross_val_score

from studies.models import Dataset, Study
from studies.services import demo
from studies.services.demo import TEMPLATES

pytestmark = pytest.mark.django_db


def test_welcome_page_offers_a_demo_to_a_new_user(site):
    response = site.get("/")

    assert response.context["welcome"] is True
    assert "Try a demo" in response.content.decode()


def test_try_a_demo_creates_and_starts_a_study(site, owner):
    response = site.post("/studies/demo/")

    study = Study.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == f"/studies/{study.pk}/"
    assert study.state == "running"
    assert study.objective["dataset"] == "breast_cancer"


@pytest.mark.parametrize("slug", sorted(TEMPLATES))
def test_template_generates_its_dataset_and_prefills_the_wizard(site, owner, slug):
    response = site.post(f"/studies/templates/{slug}/")

    dataset = Dataset.objects.get(owner=owner)
    assert response.status_code == 302
    assert f"dataset={dataset.pk}" in response["Location"]
    assert TEMPLATES[slug]["target"] in dataset.column_names
    wizard = site.get(response["Location"]).context["wizard"]
    assert wizard["prefill"]["objective"]["dataset"] == f"csv:{dataset.pk}"


def test_template_prefill_is_a_valid_study(site, owner, api):
    location = site.post("/studies/templates/fraud/")["Location"]
    prefill = site.get(location).context["wizard"]["prefill"]

    response = api.post("/api/studies/", prefill, format="json")

    assert response.status_code == 201, response.data


def test_unknown_template_answers_404(site):
    assert site.post("/studies/templates/nope/").status_code == 404


def _template_table(slug):
    rows = list(csv.DictReader(io.StringIO(demo._template_csv(TEMPLATES[slug], seed=0))))
    return {name: [float(row[name]) for row in rows] for name in rows[0]}, rows


@pytest.mark.parametrize("slug", sorted(TEMPLATES))
def test_template_data_holds_no_negative_quantities(slug):
    table, _ = _template_table(slug)

    negative = [name for name, values in table.items() if min(values) < 0]

    assert negative == []


@pytest.mark.parametrize(("slug", "column", "low", "high"), [
    ("churn", "tenure_months", 0, 72), ("churn", "support_calls", 0, 12), ("fraud", "hour_of_day", 0, 23),
    ("fraud", "foreign", 0, 1), ("demand", "week_of_year", 1, 52), ("demand", "units_sold", 0, None),
    ("price", "rooms", 1, 10), ("price", "floor", 0, 30),
])
def test_template_counts_are_whole_numbers_in_their_range(slug, column, low, high):
    _, rows = _template_table(slug)

    cells = [row[column] for row in rows]

    assert all(cell.isdigit() for cell in cells), cells[:5]
    assert min(map(int, cells)) >= low and (high is None or max(map(int, cells)) <= high)


@pytest.mark.parametrize("slug", ["churn", "maintenance", "demand", "price"])
def test_a_model_still_learns_from_the_readable_template_data(slug):
    table, _ = _template_table(slug)
    y = np.array(table.pop(TEMPLATES[slug]["target"]))
    X = np.column_stack(list(table.values()))
    classify = TEMPLATES[slug]["task"] == "classification"
    model = HistGradientBoostingClassifier() if classify else HistGradientBoostingRegressor()
    guess = DummyClassifier() if classify else DummyRegressor()

    scoring = "balanced_accuracy" if classify else "r2"

    learnt, guessed = (cross_val_score(m, X, y, cv=3, scoring=scoring).mean() for m in (model, guess))

    # well above always answering the common class (0.5) or the mean (0)
    assert learnt > guessed + 0.1
