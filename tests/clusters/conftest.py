import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def track(demo):
    """The demo's cluster track (the 2025 cluster call's)."""
    from tests.factories.clusters import demo_cluster_track

    return demo_cluster_track()


@pytest.fixture
def call(track):
    return track.call
