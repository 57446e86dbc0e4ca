"""Change requests (협약변경): filed under the standard's rules, each refusal naming its rule;
approved (a new version and PDF) or refused with a reason, the company emailed either way."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from projects import change_requests, selectors, services
from projects.changes import add_months
from projects.enums import ChangeKind, ChangeStatus
from projects.models import Agreement, ChangeRequest

from .conftest import MUNI, NAT, PROV
from .test_agreements import accept


@pytest.fixture
def accepted(awarded, django_capture_on_commit_callbacks):
    call, applications, members, run = awarded
    agreement = Agreement.objects.select_related("application__call").get(
        application=applications[0])
    accept(agreement, members[0], django_capture_on_commit_callbacks)
    agreement.refresh_from_db()
    mail.outbox.clear()
    return agreement, members[0]


def today():
    return selectors.korea_date(timezone.now())


def file(agreement, user, kind, **proposed):
    return change_requests.file_change_request(agreement, user=user, kind=kind,
                                        cause_on=today() - timedelta(days=3), reason="사유",
                                        proposed=proposed)


def test_extension_of_two_months_approved_makes_version_2_and_a_second_is_refused(
        accepted, staff, django_capture_on_commit_callbacks):
    agreement, member = accepted
    end = agreement.period_end
    change = file(agreement, member, ChangeKind.EXTENSION, months=2)
    assert change.status == ChangeStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        change_requests.decide_change_request(change, user=staff, approve=True, reason="타당함")
    agreement.refresh_from_db()
    change.refresh_from_db()
    assert agreement.period_end == add_months(end, 2)
    assert agreement.extensions == 1
    version = agreement.versions.get(number=2)
    assert (version.change_request_id, version.period_end, version.is_ready) == (
        change.pk, add_months(end, 2), True)
    assert (change.status, change.decided_by, change.decision_reason) == (
        ChangeStatus.APPROVED, staff, "타당함")
    event = change.events.get()
    assert (event.from_status, event.to_status, event.actor) == (
        ChangeStatus.PENDING, ChangeStatus.APPROVED, staff)
    assert sorted(m.subject for m in mail.outbox) == sorted([
        "[스마트공장 지원 포털] 협약변경 신청이 승인되었습니다",
        "[스마트공장 지원 포털] 협약서 제2판이 준비되었습니다"])
    with translation.override("en"), pytest.raises(services.Refused) as refused:
        file(agreement, member, ChangeKind.EXTENSION, months=1)
    assert refused.value.messages == [
        "One extension only: The project period has already been extended once; it cannot "
        "be extended again."]


def test_extension_longer_than_three_months_is_refused(accepted):
    agreement, member = accepted
    with translation.override("en"), pytest.raises(services.Refused) as refused:
        file(agreement, member, ChangeKind.EXTENSION, months=4)
    assert refused.value.messages == [
        "An extension of at most 3 months: An extension is of 1 to 3 months."]


def test_a_kpi_change_is_refused_with_the_rule_named_in_korean_and_english(accepted):
    agreement, member = accepted
    with translation.override("en"), pytest.raises(services.Refused) as english:
        file(agreement, member, ChangeKind.KPIS)
    assert english.value.messages == [
        "KPIs cannot change: The KPIs of the agreement cannot be changed."]
    with translation.override("ko"), pytest.raises(services.Refused) as korean:
        file(agreement, member, ChangeKind.KPIS)
    assert korean.value.messages == ["성과지표 변경 불가: 협약의 성과지표는 변경할 수 없습니다."]
    assert ChangeRequest.objects.count() == 0


def test_a_request_16_days_after_its_cause_is_refused(accepted):
    agreement, member = accepted
    with translation.override("en"), pytest.raises(services.Refused) as refused:
        change_requests.file_change_request(agreement, user=member, kind=ChangeKind.SCHEDULE,
                                     cause_on=today() - timedelta(days=16), reason="지연",
                                     proposed={"schedule": "설치 2주 연기"})
    assert refused.value.messages == [
        f"Filed within 15 days of its cause: A change must be requested within 15 days of its "
        f"cause; the cause was on {(today() - timedelta(days=16)).isoformat()}, 16 days ago."]


def test_a_cost_change_lowers_the_support_never_raises_it(
        accepted, staff, django_capture_on_commit_callbacks):
    agreement, member = accepted
    lower = file(agreement, member, ChangeKind.COST,
                 costs={"software": 150_000_000, "hardware": 150_000_000, "consulting": 0,
                        "other": 0},
                 contribution_cash=60_000_000, contribution_in_kind=30_000_000)
    assert lower.proposed["support"] == {NAT: 150_000_000, PROV: 60_000_000, MUNI: 0}
    with django_capture_on_commit_callbacks(execute=True):
        change_requests.decide_change_request(lower, user=staff, approve=True, reason="감액")
    agreement.refresh_from_db()
    assert agreement.shares == {NAT: 150_000_000, PROV: 60_000_000, MUNI: 0}
    higher = file(agreement, member, ChangeKind.COST,
                  costs={"software": 200_000_000, "hardware": 200_000_000, "consulting": 0,
                         "other": 0},
                  contribution_cash=130_000_000, contribution_in_kind=60_000_000)
    assert higher.proposed["support"] == {NAT: 150_000_000, PROV: 60_000_000, MUNI: 0}


def test_a_cost_change_whose_contribution_does_not_add_up_is_refused(accepted):
    agreement, member = accepted
    with pytest.raises(ValidationError) as refused:
        file(agreement, member, ChangeKind.COST,
             costs={"software": 100_000_000, "hardware": 0, "consulting": 0, "other": 0},
             contribution_cash=1, contribution_in_kind=1)
    assert sorted(refused.value.message_dict) == ["contribution_cash", "contribution_in_kind"]


def test_refusal_emails_the_company_and_changes_nothing(
        accepted, staff, django_capture_on_commit_callbacks):
    agreement, member = accepted
    change = file(agreement, member, ChangeKind.SUPPLIER, supplier_id=None,
                  supplier_name="새공급", supplier_registration_number="1208147521")
    with django_capture_on_commit_callbacks(execute=True):
        change_requests.decide_change_request(change, user=staff, approve=False, reason="근거 부족")
    agreement.refresh_from_db()
    assert agreement.supplier_name == "스마트솔루션"
    assert agreement.versions.count() == 1
    assert [m.subject for m in mail.outbox] == [
        "[스마트공장 지원 포털] 협약변경 신청이 반려되었습니다"]
    with pytest.raises(services.Refused):
        change_requests.decide_change_request(change, user=staff, approve=True, reason="다시")


def test_design_reminder_once_a_week_before_and_overdue_after(
        accepted, django_capture_on_commit_callbacks):
    agreement, member = accepted
    due = agreement.design_due
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_designs(due - timedelta(days=8)) == 0
        assert services.remind_designs(due - timedelta(days=7)) == 1
        assert services.remind_designs(due - timedelta(days=6)) == 0
    assert [m.subject for m in mail.outbox] == [
        "[스마트공장 지원 포털] 기술 설계서 제출 기한이 다가옵니다"]
    assert selectors.design_overdue(agreement, due) is False
    assert selectors.design_overdue(agreement, due + timedelta(days=1)) is True
