import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Reviews tests create many accounts: hash their passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english():
    """Messages in English, to compare them with the source text."""
    from django.utils import translation

    with translation.override("en"):
        yield
