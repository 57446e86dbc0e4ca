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
    # Background work (an award run's notices) is done at once, as it was before it waited
    # for its page to poll (tests/awards/test_background_notices.py switches it on).
    settings.OUTBOX_EAGER_BACKGROUND = False
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


# --- A Gyeongbuk company with its people and a complete draft (companies, applications,
# clusters tests) ----------------------------------------------------------------------------

@pytest.fixture
def gb_call(demo):
    from programs.models import Call

    return Call.objects.get(code="2025-GB")


@pytest.fixture
def gb_basic(gb_call):
    from programs.enums import TrackKind

    return gb_call.tracks.get(kind=TrackKind.BASIC)


@pytest.fixture
def gb_advanced(gb_call):
    from programs.enums import TrackKind

    return gb_call.tracks.get(kind=TrackKind.ADVANCED)


@pytest.fixture
def company(gb_call):
    from tests.factories.applications import CompanyFactory

    return CompanyFactory(region=gb_call.region, registration_number="1248100998",
                          name="데모식품")


@pytest.fixture
def member(company):
    from tests.factories.applications import MembershipFactory
    from tests.factories.portal import UserFactory

    return MembershipFactory(company=company, user=UserFactory(email="owner@demo.test")).user


@pytest.fixture
def colleague(company):
    from tests.factories.applications import MembershipFactory
    from tests.factories.portal import UserFactory

    return MembershipFactory(company=company,
                             user=UserFactory(email="colleague@demo.test")).user


@pytest.fixture
def application(gb_basic, company, member):
    """A complete draft on the Gyeongbuk basic track, ready to submit."""
    from tests.factories.applications import make_complete_application

    return make_complete_application(gb_basic, company=company, created_by=member)


@pytest.fixture
def superuser_client(db):
    """A test client signed in as a superuser with two-factor authentication set up (the
    admin's changelists)."""
    from django.test import Client

    from tests.factories.portal import UserFactory, give_totp

    user = UserFactory(is_staff=True, is_superuser=True)
    give_totp(user)
    client = Client()
    client.force_login(user)
    return client
