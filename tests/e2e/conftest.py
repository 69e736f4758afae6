"""Browser tests: Playwright drives Debian's Chromium against the live server and a real worker."""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser-pass-123"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("ada", password=PASSWORD)


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab at laptop size that fails the test on any script error."""
    # bypass_csp: wait_for_function polls by evaluating its predicate in the page, which our policy
    # (no eval) refuses. The policy itself is tested in tests/security/test_csp_browser.py.
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server.url,
                                  bypass_csp=True)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture
def logged_in(page, user):
    log_in(page, user.username)
    return page


def open_tab(browser, errors, timeout_ms=20_000, **options):
    """A tab in a new browser context (`options` for `new_context`) whose script errors go to `errors`."""
    context = browser.new_context(bypass_csp=True, **options)  # bypass_csp: see the page fixture
    tab = context.new_page()
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.set_default_timeout(timeout_ms)
    return tab


def log_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


SCREENSHOT_TIMEOUT_MS = 60_000


def screenshot(page, name, part_height=1000):
    """The whole page, plus screen-sized parts that stay legible when a tall page is viewed."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let Plotly finish its transitions
    # A tall page full of live charts on a busy machine can take longer than Playwright's default.
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, timeout=SCREENSHOT_TIMEOUT_MS)
    width = page.viewport_size["width"]
    top, part = 0, 1
    # The page may still grow or shrink while a chart redraws: measure before every part.
    while top < (height := page.evaluate("document.body.getBoundingClientRect().height")) - 1:
        clip = {"x": 0, "y": top, "width": width, "height": min(part_height, height - top)}
        page.screenshot(path=str(ARTIFACTS / f"{name}--{part}.png"), full_page=True, clip=clip,
                        timeout=SCREENSHOT_TIMEOUT_MS)
        top, part = top + part_height, part + 1

