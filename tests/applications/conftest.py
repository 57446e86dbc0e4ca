import pytest

from programs.enums import TrackKind
from programs.models import Call
from tests.factories.applications import (
    CompanyFactory,
    MembershipFactory,
    make_complete_application,
)
from tests.factories.portal import UserFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def gb_call(demo):
    return Call.objects.get(code="2025-GB")


@pytest.fixture
def gb_basic(gb_call):
    return gb_call.tracks.get(kind=TrackKind.BASIC)


@pytest.fixture
def gb_advanced(gb_call):
    return gb_call.tracks.get(kind=TrackKind.ADVANCED)


@pytest.fixture
def company(gb_call):
    return CompanyFactory(region=gb_call.region, registration_number="1248100998",
                          name="데모식품")


@pytest.fixture
def member(company):
    return MembershipFactory(company=company, user=UserFactory(email="owner@demo.test")).user


@pytest.fixture
def colleague(company):
    return MembershipFactory(company=company,
                             user=UserFactory(email="colleague@demo.test")).user


@pytest.fixture
def application(gb_basic, company, member):
    """A complete draft on the Gyeongbuk basic track, ready to submit."""
    return make_complete_application(gb_basic, company=company, created_by=member)
