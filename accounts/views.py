"""The profile page, where a user creates, lists and revokes their named API tokens; the password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from studies.services import InvalidInput, ServiceError

from . import tokens
from .forms import PasswordChangeWithTokensForm, TokenForm

# A new key is shown once, on the page the creation redirects to; the session (server-side)
# carries it there, so it never travels in a URL or a cookie.
NEW_TOKEN = "accounts.new_api_token"


@login_required
def profile(request):
    return _profile_page(request, TokenForm())


@login_required
@require_POST
def create_token(request):
    form = TokenForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            token, key = tokens.create_token(request.user, form.cleaned_data["name"], form.expires_at())
        except InvalidInput as invalid:
            form.add_service_errors(invalid)
        except ServiceError as refused:  # the per-user limit of tokens
            form.add_error(None, refused.message)
            status = refused.status
        else:
            request.session[NEW_TOKEN] = {"name": token.name, "key": key}
            return redirect("accounts:profile")
    return _profile_page(request, form, status=status)


@login_required
@require_POST
def revoke_token(request, token_id):
    token = get_object_or_404(tokens.tokens_of(request.user), pk=token_id)
    tokens.revoke_token(request.user, token.pk)
    messages.success(request, f"The token “{token.name}” is revoked: clients sending it are refused from now on. "
                               "Your other tokens keep working.")
    return redirect("accounts:profile")


class PasswordChange(auth_views.PasswordChangeView):
    """A new password; the user's API tokens are revoked too only when they tick the box."""

    form_class = PasswordChangeWithTokensForm
    template_name = "accounts/password_change.html"
    success_url = "done/"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"n_tokens": tokens.tokens_of(self.request.user).count()}

    def form_valid(self, form):
        if form.cleaned_data.get("revoke_tokens"):
            tokens.revoke_all_tokens(self.request.user)
        return super().form_valid(form)


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"n_tokens": tokens.tokens_of(self.request.user).count()}


def _profile_page(request, form, status=200):
    return render(request, "accounts/profile.html", {
        "tokens": tokens.listed(request.user),
        "form": form,
        "new_token": request.session.pop(NEW_TOKEN, None),
        "server_url": request.build_absolute_uri("/").rstrip("/"),
    }, status=status)
