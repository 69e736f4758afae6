"""Huge categoricals are refused at creation with a 400 naming the parameter; nothing is stored."""

import pytest

from studies.models import Study

from .helpers import external_spec

pytestmark = pytest.mark.django_db


def test_200000_choices_answer_400_naming_the_parameter(api):
    space = {"kernel": {"type": "categorical", "choices": [f"k{i}" for i in range(200_000)]}}

    response = api.post("/api/studies/", external_spec(search_space=space), format="json")

    assert response.status_code == 400
    assert response.data["search_space"] == ["kernel.choices: choices has 200000 values; at most 1000 are allowed"]
    assert not Study.objects.exists()


def test_a_choice_of_10000_characters_answers_400_naming_the_parameter(api):
    space = {"kernel": {"type": "categorical", "choices": ["rbf", "x" * 10_000]}}

    response = api.post("/api/studies/", external_spec(search_space=space), format="json")

    assert response.status_code == 400
    assert response.data["search_space"] == ["kernel.choices: choices[1] is 10000 characters long; at most 200 are allowed"]
    assert not Study.objects.exists()
