import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test accounts are hashed with a fast hasher: the real one is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
