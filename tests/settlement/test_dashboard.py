"""The company's dashboard lists its projects with their stage and next step (one query
whatever their number), and the header links a reviewer's inspections once one is assigned
(read with the signed-in user: no query of its own)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from portal.models import User
from settlement import dashboard, services
from settlement.enums import PaymentKind, ProjectStatus
from settlement.models import Inspection
from tests.factories.programs import TrackFactory
from tests.factories.reviews import ReviewerProfileFactory

from .conftest import deposit
from .test_views import make_project


def section_for(user):
    request = RequestFactory().get("/dashboard/")
    request.user = User.objects.select_related("membership").get(pk=user.pk)
    return dashboard.sections(request), request


def test_each_project_shows_its_stage_and_next_step(project, accepted, staff):
    agreement, member = accepted
    (section,), _request = section_for(member)
    assert [(p.pk, p.next_step) for p in section["projects"]] == [(project.pk, (
        "기업부담금 중 현금 70,000,000원을 과제 계좌에 입금하세요. 담당자가 확인하면 선급금이 "
        "지급됩니다."))]
    deposit(project, staff)
    (section,), _request = section_for(member)
    assert section["projects"][0].next_step == (
        "입금이 확인되었습니다. 선급금 지급을 준비하고 있습니다.")
    services.confirm_payment(services.prepare_payment(project, PaymentKind.ADVANCE, user=staff),
                             user=staff)
    (section,), request = section_for(member)
    assert section["projects"][0].next_step == (
        f"{agreement.period_end.isoformat()}까지 완료보고를 제출하세요.")
    html = render_to_string(section["template"], {"section": section}, request=request)
    assert f'href="/projects/{project.pk}/"' in html
    assert f'<strong class="stage">{ProjectStatus.IN_PROGRESS.label}</strong>' in html


def test_no_section_without_a_company_or_projects(db, role_users):
    for role in ("company", "staff", "reviewer"):
        assert section_for(role_users[role])[0] == []
    request = RequestFactory().get("/dashboard/")
    request.user = AnonymousUser()
    assert dashboard.sections(request) == []


@pytest.mark.parametrize("count", [1, 3])
def test_projects_section_query_count_is_constant(db, role_users, count,
                                                  django_assert_num_queries):
    from companies.models import Membership

    staff, member = role_users["staff"], role_users["company"]
    company = Membership.objects.get(user=member).company
    for _ in range(count):
        project = make_project(TrackFactory(), staff)  # one call each
        application = project.agreement.application
        application.company = company
        application.save(update_fields=["company"])
    request = RequestFactory().get("/dashboard/")
    request.user = User.objects.select_related("membership").get(pk=member.pk)
    with django_assert_num_queries(1):
        (section,) = dashboard.sections(request)
        html = render_to_string(section["template"], {"section": section}, request=request)
    assert html.count('class="list-group-item') == count


def test_the_header_links_a_reviewers_inspections_once_assigned(db, role_users):
    from tests.settlement.test_views import make_project as made

    profile = ReviewerProfileFactory()
    client = Client()
    client.force_login(profile.user)
    assert b'href="/inspections/"' not in client.get("/dashboard/").content
    Inspection.objects.create(project=made(TrackFactory(), role_users["staff"]),
                              inspector=profile, assigned_by=role_users["staff"])
    assert b'href="/inspections/"' in client.get("/dashboard/").content
    other = Client()
    other.force_login(role_users["reviewer"])
    assert b'href="/inspections/"' not in other.get("/dashboard/").content


def test_the_next_step_asks_for_every_source_of_the_refund(project, accepted):
    """A refund raised on two funding sources is asked for in full, by the earliest date."""
    from datetime import date

    from settlement.enums import RefundStatus
    from settlement.models import Refund

    _agreement, member = accepted
    for source, amount, due in (("national", 20_000_000, date(2027, 1, 1)),
                                ("provincial", 8_000_000, date(2027, 1, 15)),
                                ("municipal", 1_000_000, date(2026, 12, 1))):
        Refund.objects.create(project=project, source=source, amount=amount, due_on=due,
                              reason="정산 지원금을 넘어 지급됨",
                              status=(RefundStatus.PAID if source == "municipal"
                                      else RefundStatus.RAISED))
    (section,), _request = section_for(member)
    assert section["projects"][0].next_step == (
        "환수금 28,000,000원을 2027-01-01까지 납부하세요.")
