"""API keys for tests. Each call makes a new named token: a key cannot be read back from its hash."""

import uuid


def api_key_for(user, name=None):
    from accounts.tokens import create_token

    return create_token(user, name or f"test {uuid.uuid4().hex[:8]}")[1]
