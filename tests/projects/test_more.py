"""Operators see their region's agreements; exclusions recorded from their page; emails in each
member's language; the hourly beat entry; a support above the award refused by the database;
query counts of the remaining lists and dashboard sections."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Exclusion
from programs.models import Region
from projects import services
from projects.models import Agreement
from tests.factories.applications import CompanyFactory
from tests.factories.portal import UserFactory

from .test_agreements import agreement_of
from .test_views import client_for, make_agreement


def test_the_region_operator_sees_its_calls_agreements_only(awarded, role_users):
    call, applications, members, run = awarded
    operator = UserFactory(email="operator@jb.test", region=call.region)
    client = client_for(operator)
    agreement = agreement_of(applications[0])
    assert client.get(f"/agreements/{agreement.pk}/").status_code == 200
    response = client.get("/manage/agreements/")
    assert sorted(a.pk for a in response.context["agreements"]) == sorted(
        Agreement.objects.values_list("pk", flat=True))
    other = client_for(role_users["operator_gb"]).get("/manage/agreements/")
    assert list(other.context["agreements"]) == []
    # The operator decides change requests of its region but neither promotes nor cancels.
    assert client.get(f"/manage/promotions/calls/{call.pk}/").status_code == 404
    assert client.post(f"/manage/agreements/{agreement.pk}/cancel/",
                       {"reason": "x", "years": 3}).status_code == 404


def test_staff_record_an_exclusion_and_bad_input_is_kept(db, role_users):
    client = client_for(role_users["staff"])
    response = client.post("/manage/exclusions/", {"registration_number": "124-81-00999",
                                                   "company_name": "허위식품",
                                                   "reason": "허위 서류"})
    assert response.status_code == 400
    assert response.context["form"]["company_name"].value() == "허위식품"
    assert list(response.context["form"].errors) == ["registration_number"]
    response = client.post("/manage/exclusions/", {"registration_number": "124-81-00998",
                                                   "company_name": "허위식품",
                                                   "reason": "허위 서류"})
    assert response.status_code == 302
    exclusion = Exclusion.objects.get()
    assert (exclusion.registration_number, exclusion.company_name, exclusion.reason) == (
        "1248100998", "허위식품", "허위 서류")
    assert client_for(role_users["company"]).get("/manage/exclusions/").status_code == 404


def test_each_member_gets_the_email_in_their_language(
        awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    from tests.factories.applications import MembershipFactory

    english = UserFactory(email="english@company.test", language="en")
    MembershipFactory(company=applications[1].company, user=english)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_agreement(agreement_of(applications[1]), user=members[1],
                                   reason="포기")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("english@company.test",
         "[Smart Factory Support Portal] Your selection has been declined"),
        ("member1@company.test", "[스마트공장 지원 포털] 선정 포기가 처리되었습니다")]


def test_the_hourly_check_is_on_beat_every_hour():
    entry = django_settings.CELERY_BEAT_SCHEDULE["projects-hourly-check"]
    assert entry["task"] == "projects.hourly_check"
    assert (entry["schedule"].minute, entry["schedule"].hour) == ({5}, set(range(24)))


def test_a_support_above_the_award_is_refused_by_the_database(awarded):
    call, applications, members, run = awarded
    agreement = agreement_of(applications[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(national=agreement.award_national + 1)


@pytest.mark.parametrize("count", [1, 3])
def test_exclusion_list_query_count_is_constant(db, role_users, count,
                                                django_assert_num_queries):
    today = timezone.localdate()
    for n in range(count):
        Exclusion.objects.create(registration_number="1248100998", reason=f"사유 {n}",
                                 starts_on=today, ends_on=today + timedelta(days=30),
                                 recorded_by=role_users["staff"])
    client = client_for(role_users["staff"])
    with django_assert_num_queries(3):
        response = client.get("/manage/exclusions/")
    assert len(response.context["exclusions"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_staff_dashboard_section_query_count_is_constant(db, role_users, count,
                                                         django_assert_num_queries):
    for _ in range(count):
        make_agreement(CompanyFactory(region=Region.objects.get(code="GB")))
    client = client_for(role_users["staff"])
    client.get("/dashboard/")  # counts the rounds' review progress once
    with django_assert_num_queries(STAFF_DASHBOARD_QUERIES):
        response = client.get("/dashboard/")
    section = next(s for s in response.context["sections"]
                   if s["template"] == "projects/_dashboard_staff.html")
    assert section["summary"]["awaiting"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_waitlist_dashboard_section_query_count_is_constant(jeonbuk, staff, count,
                                                            django_assert_num_queries,
                                                            django_capture_on_commit_callbacks):
    """One company waitlisted in ``count`` calls' runs is shown its position in each."""
    from .conftest import build_call, confirm

    call, applications, members = build_call(jeonbuk, national=0, advanced_count=1)
    confirm(call, staff, django_capture_on_commit_callbacks)
    member = members[0]
    from awards.models import ResultLine
    from tests.factories.applications import ApplicationFactory, BusinessPlanFactory
    from tests.factories.awards import AwardRunFactory, ResultLineFactory

    for _ in range(count - 1):
        other = ApplicationFactory(company=member.membership.company, status="notified")
        BusinessPlanFactory(application=other)
        other_run = AwardRunFactory(call=other.call, status="confirmed", confirmed_by=staff,
                                    confirmed_at=timezone.now(), inputs_hash="0" * 64)
        ResultLineFactory(run=other_run, application=other, outcome="waitlisted",
                          waitlist_position=1, rank=1)
    assert ResultLine.objects.filter(outcome="waitlisted",
                                     application__company=member.membership.company).count() \
        == count
    client = client_for(member)
    with django_assert_num_queries(WAITLIST_DASHBOARD_QUERIES):
        response = client.get("/dashboard/")
    section = next(s for s in response.context["sections"]
                   if s["template"] == "projects/_dashboard_waitlist.html")
    assert [item["position"] for item in section["waitlist"]] == [1] * count


STAFF_DASHBOARD_QUERIES = 11  # the reviewer profile comes with the user; the review progress
# reads the rounds with their stored tallies (reviews.dashboard), counted by the load before
WAITLIST_DASHBOARD_QUERIES = 20  # 1 of them the projects section (settlement)
