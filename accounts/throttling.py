"""Failed API-token authentications, throttled per client address and per account with DRF's throttle.

Only failures are counted, and only failures are refused: a valid key always authenticates.
Keys are 256 random bits, so no guess reaches one, while refusing valid keys would let one
client with a revoked key lock out everyone behind its address. Past the rate, a failure
answers 429 with Retry-After instead of 401.
"""

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle


class FailedTokenThrottle(SimpleRateThrottle):
    """DRF's rate throttle over failed token authentications of one account, or of the client's
    address when no account is given; counted in the default cache, which every web process
    shares (Redis; see settings.CACHES)."""

    scope = "failed_token"

    def __init__(self, account_id=None):
        self.rate = settings.TUNER_TOKEN_FAILURE_RATE
        super().__init__()
        self.account_id = account_id

    def get_cache_key(self, request, view):
        ident = f"account:{self.account_id}" if self.account_id is not None else f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def note_failed_token(request, user_id=None):
    """Count a failed token authentication against the client's address and, when the key
    named an account (revoked, expired), against the account.

    Raises:
        Throttled: (429, Retry-After) when either has failed more often than TUNER_TOKEN_FAILURE_RATE.
    """
    throttles = [FailedTokenThrottle()] + ([FailedTokenThrottle(user_id)] if user_id is not None else [])
    for throttle in throttles:
        if not throttle.allow_request(request, None):
            whose = "this address" if throttle.account_id is None else "this account"
            raise Throttled(wait=throttle.wait(), detail=(
                f"too many failed token authentications from {whose}: at most {settings.TUNER_TOKEN_FAILURE_RATE}. "
                "Check the key your client sends; a revoked key must be replaced on your profile page."))
