"""The profile page, where a user creates and revokes their API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import tokens

# A new key is shown once, on the page the creation redirects to; the session (server-side)
# carries it there, so it never travels in a URL or a cookie.
NEW_KEY = "accounts.new_token_key"


@login_required
def profile(request):
    token = tokens.token_of(request.user)
    new_key = request.session.pop(NEW_KEY, None)
    return render(request, "accounts/profile.html", {
        "token": token,
        "new_key": new_key if token is not None and new_key == token.key else None,
        "server_url": request.build_absolute_uri("/").rstrip("/"),
    })


@login_required
@require_POST
def create_token(request):
    request.session[NEW_KEY] = tokens.create_token(request.user)
    return redirect("accounts:profile")


@login_required
@require_POST
def revoke_token(request):
    if tokens.revoke_token(request.user):
        messages.success(request, "Your API token is revoked: clients using it are refused from now on.")
    return redirect("accounts:profile")
