"""Every page answers with a Content-Security-Policy that lets scripts come only from our own
static files (no inline script, no eval); the downloadable report carries its own policy, which
names its inline scripts by hash, as a header and inside the file."""

import re

import pytest

from studies.services import share_links
from tests.roles import add_trials, make_study, people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
PAGES = ["/", "/studies/new/", "/compare/", "/compare/?ids={pk}", "/studies/{pk}/", "/studies/{pk}/trials/0/",
         "/accounts/profile/", "/accounts/password/", "/accounts/password/done/", "/api/docs/",
         "/share/{token}/", "/share/{token}/trials/0/", "/studies/import/"]
ANONYMOUS_PAGES = ["/accounts/login/", "/admin/login/", "/no-such-page/"]


@pytest.fixture
def site(client, people):
    study = make_study(people["owner"])
    add_trials(study, [("complete", 0.5, {"x": 0.1, "y": 0.2})])
    _, token = share_links.create_share_link(study.pk, people["owner"])
    client.force_login(people["owner"])
    client.paths = {"pk": study.pk, "token": token}
    return client


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_page_carries_a_policy_that_runs_only_our_script_files(site, path):
    response = site.get(path.format(**site.paths))

    assert response.status_code == 200
    policy = _directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_page_for_an_anonymous_visitor_carries_the_policy(client, path):
    response = client.get(path)

    assert _directives(response)["script-src"] == ["'self'"]


def test_api_docs_page_has_no_inline_script(site):
    response = site.get("/api/docs/")

    html = response.content.decode()
    assert re.findall(r"<script>", html) == []
    assert site.get("/api/docs/?script").status_code == 200


@pytest.mark.parametrize("prefix", ["/studies/{pk}", "/share/{token}"])
def test_report_download_carries_the_policy_of_its_own_scripts(site, prefix):
    response = site.get(prefix.format(**site.paths) + "/report.html")

    policy = _directives(response)
    assert policy["default-src"] == ["'none'"]
    assert len(policy["script-src"]) == 3 and all(s.startswith("'sha256-") for s in policy["script-src"])
    assert policy["frame-ancestors"] == ["'none'"]


def test_report_file_carries_the_same_policy_inside_it(site):
    response = site.get(f"/studies/{site.paths['pk']}/report.html")

    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', response.content.decode())
    header = response["Content-Security-Policy"]
    assert meta is not None and header.startswith(meta.group(1).replace("&#x27;", "'"))
