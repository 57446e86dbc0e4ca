import pytest

from portal.celery import app as celery_app
from tests.permissions import ROLE_NAMES, make_role_users


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Every test: files in a temporary folder, console-free email, eager Celery, clean cache,
    and a fast password hasher (the real one is slow by design)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    from django.core.cache import cache

    cache.clear()
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def demo(db):
    """The demo programmes of DOMAIN.md (no accounts)."""
    from programs import demo as programs_demo

    programs_demo.load()
    return programs_demo


@pytest.fixture
def role_users(db, demo):
    """One user per role of the permission matrix (see tests/permissions.py)."""
    return make_role_users()


@pytest.fixture
def roles():
    return ROLE_NAMES
