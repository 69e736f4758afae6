from datetime import timedelta

from django import forms
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
