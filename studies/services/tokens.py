"""Secret tokens (share links, API keys): 256 random bits, shown once, stored only as their SHA-256."""

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits from the OS's CSPRNG; nothing about the study is derived into it


def new_token():
    """A fresh URL-safe token (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token):
    """The hex SHA-256 stored for a token. A fast hash is enough: the token has 256 bits of entropy."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def matches(token, token_hash):
    """Whether a token is the one behind a stored hash, compared in constant time."""
    return hmac.compare_digest(hash_token(token), token_hash)
