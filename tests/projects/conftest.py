"""A confirmed Jeonbuk run whose notices are out: the starting point of the post-award life
cycle. Five advanced applicants at 400,000,000 (200,000,000 national + 80,000,000 provincial
each) and a national line cut to 600,000,000: three selected, two waitlisted (positions 1, 2).
One basic applicant at 100,000,000 below the cut-off: not selected. Every company has one
member, ``member<i>@company.test``."""

from decimal import Decimal

import pytest
from django.core import mail

from awards import services as award_services
from programs.enums import FundingSource
from programs.models import BudgetLine, Call
from tests.factories.applications import MembershipFactory
from tests.factories.awards import close_call, reviewers, scored_application
from tests.factories.portal import UserFactory

NAT, PROV, MUNI = (FundingSource.NATIONAL.value, FundingSource.PROVINCIAL.value,
                   FundingSource.MUNICIPAL.value)
SOURCES_ORDER = (NAT, PROV, MUNI)
PASSWORD = "company-password-1"


@pytest.fixture
def staff(db):
    return UserFactory(email="projects-staff@mss.test", is_staff=True, is_superuser=True,
                       full_name="협약 담당자")


@pytest.fixture
def jeonbuk(demo):
    call = close_call(Call.objects.get(code="2025-JB"))
    tracks = {t.order: t for t in call.tracks.all()}
    return call, tracks[1], tracks[2]


def build_call(jeonbuk, national=600_000_000, advanced_count=5):
    call, advanced, basic = jeonbuk
    BudgetLine.objects.filter(call=call, source=NAT).update(amount=national)
    panel = reviewers(1)
    applications = [
        scored_application(advanced, cost=400_000_000, totals=(Decimal(90) - i,), panel=panel,
                           in_kind=50_000_000)
        for i in range(advanced_count)]
    applications.append(scored_application(basic, cost=100_000_000, totals=(Decimal(60),),
                                            panel=panel))
    members = []
    for index, application in enumerate(applications):
        user = UserFactory(email=f"member{index}@company.test")
        user.set_password(PASSWORD)
        user.save()
        MembershipFactory(company=application.company, user=user)
        members.append(user)
    return call, applications, members


def confirm(call, staff, capture):
    with capture(execute=True):
        run = award_services.start_run(call, user=staff)
    with capture(execute=True):
        award_services.confirm_run(run, user=staff)
    return run


@pytest.fixture
def awarded(jeonbuk, staff, django_capture_on_commit_callbacks):
    """``(call, applications, members, run)`` with every notice generated and emailed."""
    call, applications, members = build_call(jeonbuk)
    run = confirm(call, staff, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return call, applications, members, run
