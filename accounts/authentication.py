"""DRF authentication by a named API token, with DRF's own header: `Authorization: Token <key>`."""

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from . import tokens


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header and 401 answers, checked against the user's named tokens (accounts.tokens)."""

    def authenticate_credentials(self, key):
        try:
            token = tokens.authenticate(key)
        except tokens.Refused as refused:
            raise AuthenticationFailed(str(refused)) from None
        return token.user, token
