"""The post-award demo: after ``load_demo`` the Jeonbuk run is confirmed with one agreement
accepted, one pending, one declined and one waitlisted company promoted; a second load changes
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from applications.enums import ApplicationStatus
from applications.models import Application
from awards import selectors as award_selectors
from awards.demo import MEMBER_EMAIL
from awards.models import AwardRun
from portal.demo import DEMO_PASSWORD
from projects import demo
from projects.enums import NoticeStatus
from projects.models import AdditionalNotice, Agreement, AgreementVersion

from .conftest import MUNI, NAT, PROV

S = ApplicationStatus


@pytest.fixture
def loaded(settings, db):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def status_of(email):
    return Application.objects.get(call__code="2025-JB",
                                   company__memberships__user__email=email).status


def test_demo_shows_every_post_award_state(loaded):
    assert status_of(MEMBER_EMAIL) == S.NOTIFIED
    assert status_of(demo.ACCEPTED_EMAIL) == S.AGREEMENT
    assert status_of(demo.DECLINED_EMAIL) == S.DECLINED
    assert status_of(demo.PROMOTED_EMAIL) == S.PROMOTED
    assert AwardRun.objects.filter(call__code="2025-JB", status="confirmed").count() == 1
    pending = Agreement.objects.get(application__company__memberships__user__email=MEMBER_EMAIL)
    assert (pending.is_open, pending.award_total) == (True, 280_000_000)
    version = AgreementVersion.objects.get(
        agreement__application__company__memberships__user__email=demo.ACCEPTED_EMAIL)
    assert (version.number, version.is_ready, version.support_total) == (1, True, 280_000_000)
    notice = AdditionalNotice.objects.get()
    assert (notice.status, notice.is_ready) == (NoticeStatus.SENT, True)
    promoted = Agreement.objects.get(application=notice.application)
    assert promoted.is_open is True
    # The declined company's award went to the promoted one: the lines hold what they did.
    call = version.agreement.application.call
    assert award_selectors.confirmed_awards(call) == {
        NAT: 2_000_000_000, PROV: 800_000_000 + 162_000_000, MUNI: 162_000_000}


def test_demo_company_accounts_open_their_agreements(loaded):
    for email in (MEMBER_EMAIL, demo.ACCEPTED_EMAIL, demo.PROMOTED_EMAIL):
        client = Client()
        assert client.login(username=email, password=DEMO_PASSWORD)
        agreement = Agreement.objects.get(application__company__memberships__user__email=email)
        assert client.get(f"/agreements/{agreement.pk}/").status_code == 200


def test_load_demo_twice_changes_nothing_after_the_notice(loaded):
    before = sorted(Application.objects.filter(call__code="2025-JB")
                    .values_list("pk", "status"))
    call_command("load_demo", stdout=StringIO())
    assert sorted(Application.objects.filter(call__code="2025-JB")
                  .values_list("pk", "status")) == before
    # One accepted version here, five more of the settlement demo's projects.
    assert (Agreement.objects.count(), AgreementVersion.objects.count(),
            AdditionalNotice.objects.count()) == (17, 6, 1)
