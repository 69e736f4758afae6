"""Share links: long random hashed tokens, read-only pages, 404 once revoked or expired."""

import hashlib
import re

import pytest
from django.utils import timezone

from studies.models import ShareLink
from studies.services import reconcile, share_links
from studies.services.notes import save_note
from studies.services.tokens import hash_token

from tests.roles import api_client, expired_token, link_token, make_study, people, revoked_token, study  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
SHARE_PATHS = ["", "live.json", "charts/edf.json", "trials.json", "report.html"]


def test_token_is_long_random_and_stored_only_as_its_sha256(study, people):
    link, token = share_links.create_share_link(study.pk, people["owner"])
    _, other = share_links.create_share_link(study.pk, people["owner"])

    assert len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token)  # 32 bytes = 256 bits
    assert token != other
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not ShareLink.objects.filter(token_hash=token).exists()


def test_url_is_shown_only_when_the_link_is_made(study, people):
    client = api_client(people["owner"])

    made = client.post(f"/api/studies/{study.pk}/share-links/", {"expires_at": None}, format="json").json()
    listed = client.get(f"/api/studies/{study.pk}/share-links/").json()

    token = made["url"].rstrip("/").rsplit("/", 1)[1]
    assert hash_token(token) == ShareLink.objects.get(pk=made["id"]).token_hash
    assert token not in str(listed)
    assert listed[0]["created_by"] == "olivia" and listed[0]["last_opened_at"] is None


def test_expiry_in_the_past_answers_400(study, people):
    response = api_client(people["owner"]).post(f"/api/studies/{study.pk}/share-links/",
                                                 {"expires_at": "2000-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 400 and "expires_at" in response.json()


@pytest.mark.parametrize("path", SHARE_PATHS)
def test_anonymous_with_a_link_sees_every_share_url(client, link_token, path):
    response = client.get(f"/share/{link_token}/{path}")

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("which", ["revoked_token", "expired_token"])
@pytest.mark.parametrize("path", SHARE_PATHS)
def test_revoked_or_expired_link_answers_404(client, request, which, path):
    token = request.getfixturevalue(which)

    assert client.get(f"/share/{token}/{path}").status_code == 404


@pytest.mark.parametrize("path", ["/share/{t}/", "/share/{t}/live.json", "/share/{t}/trials.json"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_non_get_on_share_urls_is_refused(client, link_token, path, method):
    response = getattr(client, method)(path.format(t=link_token))

    assert response.status_code in (403, 405)


def test_unknown_token_answers_404(client, link_token):
    assert client.get(f"/share/{link_token[:-1]}x/").status_code == 404
    assert client.get("/share/short/").status_code == 404


def test_share_page_has_no_controls_and_no_names_but_the_owners(client, link_token, study):
    save_note(study.pk, None, "checked by the team", study.owner)

    html = client.get(f"/share/{link_token}/").content.decode()

    assert '<meta name="robots" content="noindex' in html
    assert "Olivia Owner" in html
    for name in ("olivia", "edgar", "vera", "stan"):
        assert name not in html
    for control in ("data-action", "csrfmiddlewaretoken", "data-member-form", "data-link-form", "data-note-form",
                    "try-form", "Delete", "Log out", "Export CSV", "best-model"):
        assert control not in html
    assert "checked by the team" in html


def test_live_json_names_only_the_owner(client, link_token):
    body = client.get(f"/share/{link_token}/live.json?summary=1").json()

    assert body["header"]["owner"] == "Olivia Owner"
    assert "olivia" not in str(body) and body["summary"]


def test_trial_table_leaves_out_workers(client, link_token):
    rows = client.get(f"/share/{link_token}/trials.json").json()["rows"]

    assert rows and "worker" not in rows[0]


def test_opening_the_page_is_written_by_the_next_reconciler_pass(client, link_token):
    client.get(f"/share/{link_token}/")
    unwritten = ShareLink.objects.get(token_hash=hash_token(link_token)).last_opened_at

    reconcile()

    assert unwritten is None
    assert ShareLink.objects.get(token_hash=hash_token(link_token)).last_opened_at is not None


def test_the_owners_list_shows_an_opening_before_it_is_written(client, link_token, study, people):
    client.get(f"/share/{link_token}/")

    listed = api_client(people["owner"]).get(f"/api/studies/{study.pk}/share-links/").json()

    assert listed[0]["last_opened_at"] is not None


def test_a_link_shows_only_its_own_study(client, link_token, people):
    other = make_study(people["owner"], name="secret other study")

    html = client.get(f"/share/{link_token}/").content.decode()

    assert other.name not in html
    assert client.get(f"/share/{link_token}/../../studies/{other.pk}/").status_code in (302, 404)


def test_revoking_is_for_the_owner_and_takes_effect_at_once(client, study, people, link_token):
    link = ShareLink.objects.get(study=study)

    api_client(people["owner"]).delete(f"/api/share-links/{link.pk}/")

    assert ShareLink.objects.get(pk=link.pk).revoked_at <= timezone.now()
    assert client.get(f"/share/{link_token}/").status_code == 404


@pytest.mark.parametrize("path", ["charts/timeline.json", "report.html", "trials.json", "trials/3/", ""])
def test_a_share_link_shows_no_worker_host_names(client, link_token, study, path):
    study.trials.update(worker="gpu-box-7.corp.example:4242")

    html = client.get(f"/share/{link_token}/{path}").content.decode()

    assert "gpu-box-7" not in html


def test_the_timeline_through_a_link_keeps_the_lanes_under_plain_names(client, link_token, study, people):
    study.trials.filter(number__lt=5).update(worker="gpu-box-7:1")
    study.trials.filter(number__gte=5).update(worker="gpu-box-8:1")
    client.force_login(people["viewer"])
    member = client.get(f"/studies/{study.pk}/charts/timeline.json").json()
    client.logout()

    shared = client.get(f"/share/{link_token}/charts/timeline.json").json()

    assert {y for trace in member["traces"] for y in trace["y"]} == {"gpu-box-7:1", "gpu-box-8:1"}
    assert {y for trace in shared["traces"] for y in trace["y"]} == {"worker 1", "worker 2"}
