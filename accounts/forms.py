from datetime import timedelta

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils import timezone

from .models import ApiToken


class TokenForm(forms.Form):
    """The shape of a new token; its rules (a name, not too long, not taken) are the service's."""

    EXPIRY_CHOICES = [("", "never"), (30, "in 30 days"), (90, "in 90 days"), (365, "in a year")]

    name = forms.CharField(required=False, widget=forms.TextInput(attrs={
        "maxlength": ApiToken.NAME_MAX_LENGTH, "placeholder": "e.g. gpu-box-3", "autocomplete": "off"}))
    expires_in_days = forms.TypedChoiceField(choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False,
                                             label="Expires")

    def expires_at(self):
        days = self.cleaned_data["expires_in_days"]
        return None if days is None else timezone.now() + timedelta(days=days)

    def add_service_errors(self, invalid):
        """Put an InvalidInput's messages on the fields they name."""
        for field, messages in invalid.errors.items():
            self.add_error(field if field in self.fields else None, messages)


class PasswordChangeWithTokensForm(PasswordChangeForm):
    """Django's password change, plus a box to revoke every API token too (unticked by default).

    Machines authenticate with tokens, not the password, so a new password leaves them working
    unless the user says otherwise. Without tokens there is nothing to tick and no box.
    """

    def __init__(self, user, *args, n_tokens=0, **kwargs):
        super().__init__(user, *args, **kwargs)
        if n_tokens:
            noun = "API token" if n_tokens == 1 else "API tokens"
            self.fields["revoke_tokens"] = forms.BooleanField(
                required=False, label=f"Also revoke my {n_tokens} {noun} (machines using them will stop working)")
