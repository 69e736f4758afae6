"""In Chromium, under the Content-Security-Policy every page carries: no page breaks a rule of
the policy (a blocked script, style, eval or fetch shows as a violation), and every chart still
draws — parallel coordinates (drawn in SVG by charts.js from a parcoords figure) included."""

import pytest

from dashboard import report
from studies import access
from studies.models import Study
from studies.services import members, read, share_links
from tests.dashboard.conftest import SPACE, add_trials, make_chart_study, make_study
from tests.e2e.conftest import ARTIFACTS, PASSWORD, log_in, user  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
STUDY_CHARTS = ("history", "importance", "parallel", "slices", "contour", "curves", "edf", "timeline")
# Collects violations from the page itself, whatever Chromium prints: registered before any page
# script runs (Playwright's init scripts are not subject to the page's policy).
# (Only selectors are awaited: wait_for_function polls by eval, which the policy refuses.)
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});"""


@pytest.fixture
def tab(browser, live_server):
    """A tab that records every CSP violation and script error; the test fails on any."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.problems = []
    page.on("console", lambda message: message.type == "error" and "Content Security Policy" in message.text
            and page.problems.append(message.text))
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    yield page
    context.close()


@pytest.fixture
def busy_study(user):
    return make_chart_study(user, state="completed")


def _violations(page):
    return page.problems + page.evaluate("window.__violations || []")


def _charts_drawn(page, names):
    for name in names:
        page.wait_for_selector(f"#chart-{name} .main-svg")


def test_study_page_draws_every_chart_with_no_violation(tab, user, busy_study):
    log_in(tab, user.username)

    tab.goto(f"/studies/{busy_study.pk}/")

    _charts_drawn(tab, STUDY_CHARTS)
    tab.wait_for_selector("#chart-parallel .scatterlayer .trace")
    tab.hover("#chart-history .main-svg")
    assert _violations(tab) == []


def test_compare_page_draws_its_charts_with_no_violation(tab, user, busy_study):
    other = make_study(user, name="Other", space=SPACE, state="completed")
    add_trials(other, [("complete", float(i % 7), {"lr": 0.01, "depth": 3, "kernel": "rbf"}) for i in range(10)])
    log_in(tab, user.username)

    tab.goto(f"/compare/?ids={busy_study.pk}&ids={other.pk}")

    _charts_drawn(tab, ("history", "best"))
    assert _violations(tab) == []


def test_trial_page_draws_its_curve_with_no_violation(tab, user, busy_study):
    log_in(tab, user.username)

    tab.goto(f"/studies/{busy_study.pk}/trials/0/")

    _charts_drawn(tab, ("reports",))
    assert _violations(tab) == []


def test_share_page_draws_every_chart_with_no_violation(tab, user, busy_study):
    _, token = share_links.create_share_link(busy_study.pk, user)

    tab.goto(f"/share/{token}/")

    _charts_drawn(tab, ("history", "parallel", "slices", "contour", "edf"))
    assert _violations(tab) == []


@pytest.mark.parametrize("path", ["/", "/studies/new/", "/accounts/profile/", "/accounts/password/", "/studies/import/"])
def test_page_without_charts_runs_with_no_violation(tab, user, busy_study, path):
    log_in(tab, user.username)

    tab.goto(path)
    tab.wait_for_load_state("networkidle")

    assert _violations(tab) == []


def test_api_docs_draw_swagger_ui_with_no_violation(tab, user):
    log_in(tab, user.username)

    tab.goto("/api/docs/")

    tab.wait_for_selector(".swagger-ui .opblock")
    assert _violations(tab) == []


def _report_file(user, study, tmp_path, extra=""):
    annotated = read.with_summary(Study.objects.filter(pk=study.pk).select_related("owner")).get()
    path = tmp_path / "report.html"
    path.write_text(report.build(access.visitor(user, annotated)).replace("</body>", extra + "</body>"),
                    encoding="utf-8")
    return path


def test_report_opened_from_a_file_draws_every_chart_under_its_own_policy(tab, user, busy_study, tmp_path):
    path = _report_file(user, busy_study, tmp_path)

    tab.goto(path.as_uri())

    tab.wait_for_selector("body[data-charts-drawn]")
    _charts_drawn(tab, STUDY_CHARTS)
    assert _violations(tab) == []
    assert tab.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1


def test_report_file_refuses_a_script_that_is_not_its_own(tab, user, busy_study, tmp_path):
    path = _report_file(user, busy_study, tmp_path, extra="<script>document.body.dataset.injected = 'ran'</script>")

    tab.goto(path.as_uri())

    tab.wait_for_selector("body[data-charts-drawn]")
    assert tab.evaluate("document.body.dataset.injected") is None
    assert any(v.startswith("script-src-elem inline") for v in tab.evaluate("window.__violations"))


@pytest.fixture
def guest(django_user_model):
    return django_user_model.objects.create_user("grace", password=PASSWORD)


def test_an_invitation_is_accepted_from_the_studies_page_with_no_violation(tab, guest, busy_study):
    members.invite_member(busy_study.pk, "grace", "viewer")
    log_in(tab, "grace")
    tab.screenshot(path=str(ARTIFACTS / "studies-invitation.png"), full_page=True)

    tab.click("#invitations button:has-text('Accept')")

    tab.wait_for_url(f"**/studies/{busy_study.pk}/")
    _charts_drawn(tab, ("history", "parallel"))
    assert _violations(tab) == []


def test_a_member_leaves_from_the_people_panel_with_no_violation(tab, guest, busy_study):
    members.invite_member(busy_study.pk, "grace", "editor")
    members.accept_invitation(busy_study.pk, guest)
    log_in(tab, "grace")
    tab.goto(f"/studies/{busy_study.pk}/")

    tab.click("[data-open-dialog=share-dialog]")
    tab.screenshot(path=str(ARTIFACTS / "study-people-member.png"))
    tab.click("[data-testid=leave-study]")

    tab.wait_for_selector("text=You left the study")
    assert "Busy study" not in tab.inner_text("main")
    assert _violations(tab) == []


def test_the_owner_invites_from_the_people_panel_and_is_told_what_happens(tab, user, busy_study):
    log_in(tab, user.username)
    tab.goto(f"/studies/{busy_study.pk}/")
    tab.click("[data-open-dialog=share-dialog]")

    tab.fill("#member-username", "nobody-here")
    tab.click("[data-member-form] button[type=submit]")

    tab.wait_for_selector("[data-member-status]:has-text('they are invited as viewer')")
    tab.screenshot(path=str(ARTIFACTS / "study-people-owner.png"))
    assert _violations(tab) == []
