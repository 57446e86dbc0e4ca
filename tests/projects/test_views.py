"""The pages of the post-award life cycle: who sees what (404 for anyone else), bad input kept
and refused with its rule named, and a constant number of queries for every new list and
dashboard section (1 and 3 items)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from applications.enums import ApplicationStatus
from projects import promoting, services
from projects.enums import ChangeKind
from projects.models import Agreement, AgreementVersion, ChangeRequest
from tests.factories.applications import (
    ApplicationFactory,
    BusinessPlanFactory,
    MembershipFactory,
)
from tests.factories.awards import AwardRunFactory, ResultLineFactory
from tests.factories.portal import UserFactory
from tests.permissions import expect_matrix

from .conftest import PASSWORD
from .test_agreements import values

S = ApplicationStatus


def client_for(user, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def form_data(agreement, **changes):
    data = {"revision": agreement.revision, "period_months": 6, "supplier": "",
            "supplier_name": "스마트솔루션", "supplier_registration_number": "124-81-00998",
            "cost_software": "200,000,000", "cost_hardware": "200,000,000",
            "cost_consulting": "0", "cost_other": "0", "contribution_cash": "70,000,000",
            "contribution_in_kind": "50,000,000", "bank_name": "전북은행",
            "account_number": "1021-01-234567", "account_holder": "한빛농식품"}
    data.update(changes)
    return data


def make_agreement(company, *, status=S.NOTIFIED, deadline_days=10):
    """An agreement without a whole award run behind it (for lists and query counts)."""
    application = ApplicationFactory(company=company, status=status, submitted=False,
                                     receipt_number=None)
    BusinessPlanFactory(application=application)
    run = AwardRunFactory(call=application.call, status="confirmed",
                          confirmed_by=UserFactory(is_staff=True), confirmed_at=timezone.now(),
                          inputs_hash="0" * 64)
    line = ResultLineFactory(run=run, application=application)
    now = timezone.now()
    return Agreement.objects.create(
        application=application, result_line=line, award_provincial=30_000_000,
        award_municipal=30_000_000, provincial=30_000_000, municipal=30_000_000,
        noticed_at=now, deadline=now + timedelta(days=deadline_days),
        cost_software=100_000_000, contribution_cash=40_000_000)


# --- The company's agreement page ---------------------------------------------------------

def test_agreement_page_shows_the_deadline_and_time_left(awarded):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    days_left = (agreement.deadline - timezone.now()).days
    response = client_for(members[0]).get(f"/agreements/{agreement.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    deadline = timezone.localtime(agreement.deadline).strftime("%Y-%m-%d %H:%M")
    assert f"Accept by {deadline} (Korea time)" in text
    assert response.context["time_left"].days == days_left
    assert text.count('id="accept-agreement"') == 1


def test_agreement_page_permissions(awarded, role_users):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    expect_matrix(role_users, f"/agreements/{agreement.pk}/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 200})
    assert client_for(members[1]).get(f"/agreements/{agreement.pk}/").status_code == 404


def test_account_number_with_letters_is_refused_and_what_was_typed_kept(awarded):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    response = client_for(members[0]).post(
        f"/agreements/{agreement.pk}/save/",
        form_data(agreement, action="save", account_number="1021-AB-234567",
                  bank_name="새만금은행"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["account_number"] == [
        "Account number: digits only, with or without hyphens (no letters)."]
    assert form["bank_name"].value() == "새만금은행"
    assert form["account_number"].value() == "1021-AB-234567"
    assert Agreement.objects.get(pk=agreement.pk).bank_name == ""


def test_accept_needs_the_password_and_the_conditions(awarded):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    client = client_for(members[0])
    response = client.post(f"/agreements/{agreement.pk}/save/",
                           form_data(agreement, action="accept", password="wrong"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "conditions": ["Tick the conditions to accept the agreement."]}
    response = client.post(f"/agreements/{agreement.pk}/save/",
                           form_data(agreement, action="accept", password="wrong",
                                     conditions="on"))
    assert response.context["form"].errors == {"password": ["This is not your password."]}
    assert response.context["form"]["password"].value() is None
    assert AgreementVersion.objects.count() == 0


def test_accept_with_the_password_freezes_the_version(
        awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    client = client_for(members[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/agreements/{agreement.pk}/save/",
                               form_data(agreement, action="accept", password=PASSWORD,
                                         conditions="on"))
    assert response.status_code == 302
    version = AgreementVersion.objects.get()
    assert version.data["account"]["number"] == "1021-01-234567"
    download = client.get(f"/agreements/versions/{version.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="agreement-{version.code}.pdf"')
    assert client_for(members[1]).get(
        f"/agreements/versions/{version.pk}/download/").status_code == 404
    # The notices' public verify page confirms the agreement's code.
    verify = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/notices/verify/{version.code}/")
    assert verify.status_code == 200
    assert verify.context["document"]["kind"] == "Project agreement"


def test_stale_save_keeps_the_entries_and_names_the_other_member(awarded):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    colleague = UserFactory(email="colleague@company.test", full_name="박동료")
    MembershipFactory(company=applications[0].company, user=colleague)
    services.save_agreement(agreement, values(agreement, contribution_cash=70_000_000),
                            user=colleague, revision=agreement.revision)
    response = client_for(members[0]).post(
        f"/agreements/{agreement.pk}/save/",
        form_data(agreement, action="save", bank_name="내가 입력한 은행"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form["bank_name"].value() == "내가 입력한 은행"
    assert form["revision"].value() == agreement.revision + 1
    assert form.non_field_errors()[0].startswith("박동료 changed this agreement at ")


def test_change_request_for_kpis_refused_in_korean(
        awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = Agreement.objects.get(application=applications[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_agreement(agreement, values(agreement), user=members[0],
                                  revision=agreement.revision)
    response = client_for(members[0], "ko").post(
        f"/agreements/{agreement.pk}/changes/new/",
        {"kind": ChangeKind.KPIS, "cause_on": timezone.localdate().isoformat(),
         "reason": "목표 조정"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "성과지표 변경 불가: 협약의 성과지표는 변경할 수 없습니다."]
    assert response.context["form"]["reason"].value() == "목표 조정"
    assert ChangeRequest.objects.count() == 0


# --- Query counts -------------------------------------------------------------------------

@pytest.mark.parametrize("count", [1, 3])
def test_agreement_list_query_count_is_constant(db, role_users, count,
                                                django_assert_num_queries):
    from tests.factories.applications import CompanyFactory

    for _ in range(count):
        make_agreement(CompanyFactory())
    client = client_for(role_users["staff"])
    with django_assert_num_queries(3):
        response = client.get("/manage/agreements/")
    assert len(response.context["agreements"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_change_request_list_query_count_is_constant(db, role_users, count,
                                                     django_assert_num_queries):
    from tests.factories.applications import CompanyFactory

    for _ in range(count):
        agreement = make_agreement(CompanyFactory(), status=S.AGREEMENT)
        ChangeRequest.objects.create(agreement=agreement, kind=ChangeKind.SCHEDULE,
                                     cause_on=timezone.localdate(), reason="일정")
    client = client_for(role_users["staff"])
    with django_assert_num_queries(3):
        response = client.get("/manage/agreements/changes/")
    assert len(response.context["changes"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_company_dashboard_agreements_query_count_is_constant(db, role_users, count,
                                                              django_assert_num_queries):
    member = role_users["company"]
    for _ in range(count):
        make_agreement(member.membership.company)
    client = client_for(member)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/dashboard/")
    section = next(s for s in response.context["sections"]
                   if s["template"] == "projects/_dashboard_agreements.html")
    assert len(section["agreements"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_promotion_page_query_count_is_constant(awarded, role_users, count,
                                                django_assert_num_queries, staff):
    call, applications, members, run = awarded
    for application in applications[:count]:
        services.decline_agreement(Agreement.objects.get(application=application),
                                   user=members[0], reason="포기")
    for _ in range(count):
        promoting.start_promotion(applications[0].track, user=staff)
    client = client_for(role_users["staff"])
    with django_assert_num_queries(PROMOTION_QUERIES):
        response = client.get(f"/manage/promotions/calls/{call.pk}/")
    assert len(response.context["runs"]) == count


DASHBOARD_QUERIES = 22  # the reviewer profile comes with the user; 1 is the projects section
PROMOTION_QUERIES = 12
