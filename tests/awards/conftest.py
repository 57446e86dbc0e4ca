from decimal import Decimal

import pytest

from programs.enums import FundingSource
from programs.models import Call
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import UserFactory

NAT, PROV, MUNI = (FundingSource.NATIONAL.value, FundingSource.PROVINCIAL.value,
                   FundingSource.MUNICIPAL.value)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories create many accounts; hashing their passwords with PBKDF2 dominates."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return UserFactory(email="awards-staff@mss.test", is_staff=True, is_superuser=True,
                       full_name="선정 담당자")


@pytest.fixture
def jeonbuk(demo):
    """The Jeonbuk demo call, closed, with its tracks by order."""
    call = close_call(Call.objects.get(code="2025-JB"))
    tracks = {t.order: t for t in call.tracks.all()}
    return call, tracks[1], tracks[2]


@pytest.fixture
def panel(db):
    return reviewers(1)


@pytest.fixture
def jeonbuk_scored(jeonbuk, panel):
    """15 advanced applicants at 400,000,000 (scores 90.0, 89.5, … in rank order) and 3 basic
    applicants at 100,000,000: the national line funds exactly 10 advanced."""
    call, advanced, basic = jeonbuk
    adv = [scored_application(advanced, cost=400_000_000, totals=(Decimal(90) - i / Decimal(2),),
                              panel=panel)
           for i in range(15)]
    bas = [scored_application(basic, cost=100_000_000, totals=(Decimal(80) - i,), panel=panel,
                              in_kind=10_000_000)
           for i in range(3)]
    return call, adv, bas


@pytest.fixture
def jeonbuk_small(jeonbuk, panel):
    """Jeonbuk with its national line cut to 400,000,000: of three advanced applicants at
    400,000,000 two are selected and one waitlisted; a basic applicant below the cut-off is
    not selected. Each company has one member."""
    from programs.models import BudgetLine
    from tests.factories.applications import MembershipFactory

    call, advanced, basic = jeonbuk
    BudgetLine.objects.filter(call=call, source=NAT).update(amount=400_000_000)
    applications = [
        scored_application(advanced, cost=400_000_000, totals=(Decimal(90) - i,), panel=panel,
                           in_kind=50_000_000)
        for i in range(3)]
    applications.append(scored_application(basic, cost=90_000_000, totals=(Decimal("69.5"),),
                                           panel=panel))
    for index, application in enumerate(applications):
        MembershipFactory(company=application.company,
                          user=UserFactory(email=f"member{index}@company.test"))
    return call, applications
