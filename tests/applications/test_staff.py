"""Staff screening and bonus verification, the admin list, and the operators' region list."""

import re

import pytest
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application, BonusClaim, StateChange
from applications.services import submit_application
from programs.models import Call, Region
from tests.applications.test_views import client_for, text
from tests.factories.applications import (
    BonusClaimFactory,
    CompanyFactory,
    make_complete_application,
)
from tests.factories.portal import UserFactory

S = ApplicationStatus


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True, email="staff@mss.test")


@pytest.fixture
def submitted(application, member, gb_call):
    BonusClaimFactory(application=application,
                      bonus_item=gb_call.bonus_items.get(code="exporter"), evidence="수출 실적")
    submit_application(application, user=member, revision=0)
    return application


def screen(client, application, **data):
    return client.post(reverse("applications:screening", args=[application.pk]), data)


def test_screening_page_shows_the_submitted_version(submitted, staff):
    page = text(client_for(staff).get(reverse("applications:screening", args=[submitted.pk])))
    assert "2025-GB-0001" in page
    assert "KRW 54,000,000" in page
    assert "수출 실적" in page


def test_screening_ineligible_without_reason_refused_and_kept(submitted, staff):
    response = screen(client_for(staff), submitted, decision="ineligible", reason=" ")
    assert "Give the reason why the application is ineligible." in text(response)
    assert re.search(r'value="ineligible"[^>]*checked', response.content.decode())
    assert Application.objects.get().status == S.SUBMITTED


def test_screening_ineligible_with_reason_is_audited(submitted, staff):
    response = screen(client_for(staff), submitted, decision="ineligible",
                      reason="휴업 중인 사업장")
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.status, application.screening_reason) == (S.INELIGIBLE, "휴업 중인 사업장")
    assert list(StateChange.objects.values_list("from_status", "to_status", "actor", "reason"))[
        -1] == (S.SUBMITTED, S.INELIGIBLE, staff.pk, "휴업 중인 사업장")


def test_screening_eligible_then_company_sees_it_read_only(submitted, staff, member):
    screen(client_for(staff), submitted, decision="eligible")
    assert Application.objects.get().status == S.ELIGIBLE
    page = text(client_for(member).get(reverse("applications:step",
                                               args=[submitted.pk, "company"])))
    assert ("This application has been passed on for screening and review; it can no longer "
            "be changed.") in page


def test_screening_a_draft_is_refused_with_the_reason(application, staff):
    response = screen(client_for(staff), application, decision="eligible")
    assert "An application cannot go from “Draft” to “Screened: eligible”." in text(response)


def test_staff_verifies_a_bonus_claim(submitted, staff):
    claim = BonusClaim.objects.get()
    client_for(staff).post(reverse("applications:bonus_verify", args=[submitted.pk, claim.pk]),
                           {"verified": "yes"})
    claim.refresh_from_db()
    assert (claim.verified, claim.verified_by) == (True, staff)
    client_for(staff).post(reverse("applications:bonus_verify", args=[submitted.pk, claim.pk]),
                           {"verified": "no"})
    claim.refresh_from_db()
    assert claim.verified is False


def test_admin_search_by_registration_number_company_and_receipt(submitted, staff, gb_basic):
    other = make_complete_application(gb_basic, company=CompanyFactory(name="다른식품"))
    submit_application(other, user=None, revision=0)
    client = client_for(staff)
    url = reverse("admin:applications_application_changelist")
    for term in ("124-81-00998", "1248100998", "데모식품", "2025-GB-0001"):
        html = client.get(url, {"q": term}).content.decode()
        assert re.findall(r'class="field-receipt_number"><a [^>]*>([^<]+)<', html) == [
            "2025-GB-0001"], term


def test_admin_list_filters(submitted, staff, gb_call):
    client = client_for(staff)
    url = reverse("admin:applications_application_changelist")
    html = client.get(url).content.decode()
    for parameter in ("call__id__exact", "track__id__exact", "status__exact",
                      "company__region__id__exact"):
        assert f"?{parameter}=" in html, parameter
    filtered = client.get(url, {"status__exact": "submitted",
                                "call__id__exact": gb_call.pk}).content.decode()
    assert filtered.count('class="field-receipt_number"') == 1


def test_admin_change_page_shows_read_only_inlines(submitted, staff):
    html = client_for(staff).get(reverse("admin:applications_application_change",
                                         args=[submitted.pk])).content.decode()
    page = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "수출 실적" in page
    assert "KRW 54,000,000" in page or "54,000,000원" in page
    assert 'name="status"' not in html


def test_admin_action_screens_submitted_applications_as_eligible(submitted, staff,
                                                                 application):
    client_for(staff).post(reverse("admin:applications_application_changelist"), {
        "action": "mark_eligible", "_selected_action": [submitted.pk]})
    assert (Application.objects.get().status,
            StateChange.objects.last().actor) == (S.ELIGIBLE, staff)


def test_operator_list_counts_per_track_and_region_only(submitted, demo):
    jn = Call.objects.get(code="2025-JN")
    jn_application = make_complete_application(
        jn.tracks.get(kind="basic"), company=CompanyFactory(region=Region.objects.get(code="JN")))
    submit_application(jn_application, user=None, revision=0)
    operator = UserFactory(region=Region.objects.get(code="GB"))
    response = client_for(operator).get(reverse("applications:operator_list"))
    html = response.content.decode()
    counts = re.search(r'id="track-counts">(.*?)</table>', html, re.S)[1]
    assert " ".join(re.sub(r"<[^>]+>", " ", counts).split()) == (
        "Track Applications not withdrawn 2025-GB · Basic 1 1")
    assert "2025-GB-0001" in html
    assert "2025-JN-0001" not in html


def test_operator_detail_read_only(submitted, demo):
    operator = UserFactory(region=Region.objects.get(code="GB"))
    page = client_for(operator).get(reverse("applications:operator_detail",
                                            args=[submitted.pk]))
    html = page.content.decode()
    assert "MES와 발효조 온도 모니터링 센서" in text(page)
    assert "<form" not in html.split('<main', 1)[1]
