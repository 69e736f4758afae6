"""The OpenAPI schema and its browsable docs are served."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_lists_the_ask_and_tell_endpoints(api):
    response = api.get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/studies/{id}/ask/" in paths
    assert "/api/trials/{id}/tell/" in paths


def test_docs_page_is_served_without_a_cdn(api, client, owner):
    client.force_login(owner)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()


def test_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert (tmp_path / "schema.yml").stat().st_size > 1000


def test_schema_documents_ask_next_on_the_tell_and_the_next_trial_in_its_answer(api):
    schema = api.get("/api/schema/?format=json").json()

    tell = schema["paths"]["/api/trials/{id}/tell/"]["post"]
    request = tell["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    answer = tell["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    components = schema["components"]["schemas"]
    assert "next trial" in components[request]["properties"]["ask_next"]["description"]
    assert {"next_trial", "no_next_trial"} <= set(components[answer]["properties"])
