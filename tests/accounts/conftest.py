import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The owner and the outsider get passwords; the real hasher's deliberate slowness is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
