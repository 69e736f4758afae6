"""DRF authentication by a named API token, with DRF's own header: `Authorization: Token <key>`."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import tokens
from .throttling import note_failed_token


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header and 401 answers, checked against the user's named tokens (accounts.tokens).

    Failures are counted per client address and per account; past the rate they answer 429
    (accounts.throttling).
    """

    def authenticate(self, request):
        self.refused_user_id = None  # an instance serves one request
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            note_failed_token(request, self.refused_user_id)
            raise

    def authenticate_credentials(self, key):
        try:
            token = tokens.authenticate(key)
        except tokens.Refused as refused:
            self.refused_user_id = refused.user_id
            raise AuthenticationFailed(str(refused)) from None
        return token.user, token
