import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Reviews tests create many accounts: hash their passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
