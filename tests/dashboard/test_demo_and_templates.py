"""Try a demo and templates: one click to a first study."""

import pytest

from studies.models import Dataset, Study
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
