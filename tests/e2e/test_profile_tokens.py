"""The profile page in a real browser: create a token, copy its key, revoke another after confirming."""

import pytest

from accounts import tokens
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_token_is_created_copied_and_another_revoked_after_confirming(logged_in, user):
    old, _ = tokens.create_token(user, "old laptop")
    logged_in.context.grant_permissions(["clipboard-read", "clipboard-write"])
    logged_in.goto("/accounts/profile/")

    logged_in.fill("#id_name", "gpu-box-3")
    logged_in.click("text=Create token")
    key = logged_in.input_value("[data-testid=new-key]")
    logged_in.click("[data-copy]")
    copied = logged_in.evaluate("navigator.clipboard.readText()")
    screenshot(logged_in, "profile-new-token")
    logged_in.click("[data-testid=token-row]:has-text('old laptop') >> text=Revoke")
    logged_in.click("[data-testid=confirm-revoke]")
    logged_in.wait_for_selector("text=is revoked")

    assert copied == key and len(key) == 43
    assert logged_in.locator("[data-testid=token-row]").all_inner_texts()[0].startswith("gpu-box-3")
    assert logged_in.locator("[data-testid=token-row]").count() == 1
    old.refresh_from_db()
    assert old.revoked_at is not None


def test_cancelling_the_confirmation_keeps_the_token(logged_in, user):
    token, _ = tokens.create_token(user, "laptop")
    logged_in.goto("/accounts/profile/")

    logged_in.click("[data-testid=token-row] >> text=Revoke")
    screenshot(logged_in, "profile-revoke-dialog")
    logged_in.click("#revoke-dialog >> text=Cancel")

    token.refresh_from_db()
    assert token.revoked_at is None and logged_in.locator("[data-testid=token-row]").count() == 1


def test_the_profile_page_fits_a_phone(logged_in, user):
    for name in ("laptop", "gpu-box-1 in the basement rack, second shelf", "ci runner"):
        tokens.create_token(user, name)
    logged_in.set_viewport_size({"width": 390, "height": 844})
    logged_in.goto("/accounts/profile/")
    logged_in.fill("#id_name", "laptop")
    logged_in.click("text=Create token")
    error = logged_in.inner_text("[data-testid=name-error]")  # waits for the answer's page

    overflow = logged_in.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the profile page sticks out {overflow} px sideways on a phone"
    assert error == "Name: you already have a token named 'laptop'"
    screenshot(logged_in, "profile-phone")
