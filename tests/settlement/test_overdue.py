"""A refund is overdue once its due date has passed while it is still to be paid back: one rule
(``selectors.refund_is_overdue``), the same as the queryset of overdue refunds; the daily beat
task stores the status *overdue* and reminds the company once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from settlement import selectors, services
from settlement.enums import RefundStatus
from settlement.models import Refund, RefundEvent


@pytest.mark.parametrize(("status", "due_on", "overdue"), [
    (RefundStatus.RAISED, date(2026, 12, 1), True),
    (RefundStatus.RAISED, date(2026, 12, 2), False),  # due today: not yet overdue
    (RefundStatus.PAID, date(2026, 11, 1), False),
])
def test_a_refund_is_overdue_after_its_due_date_while_raised(status, due_on, overdue):
    refund = Refund(status=status, due_on=due_on)
    assert selectors.refund_is_overdue(refund, date(2026, 12, 2)) is overdue


@pytest.fixture
def refunded(project, accepted, staff):
    """A settlement below the advance: two refunds (national, provincial) due 30 days after
    the period's end."""
    from .conftest import inspect_once
    from .test_settlement import advance, report

    agreement, member = accepted
    advance(project, staff)
    report(project, member, [{"supply_amount": 200_000_000, "vat": 20_000_000}])
    settlement = services.preview_settlement(project, user=staff)
    inspect_once(project, staff)
    services.confirm_settlement(settlement, user=staff, today=agreement.period_end)
    return agreement.period_end + timedelta(days=30)


def test_the_daily_task_stores_overdue_and_reminds_the_company_once(
        refunded, project, staff, django_capture_on_commit_callbacks):
    due = refunded
    mail.outbox.clear()
    assert services.mark_overdue_refunds(due) == 0  # due today: not yet
    assert set(Refund.objects.values_list("status", flat=True)) == {RefundStatus.RAISED}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.mark_overdue_refunds(due + timedelta(days=1)) == 2
    assert services.mark_overdue_refunds(due + timedelta(days=2)) == 0
    assert set(Refund.objects.values_list("status", flat=True)) == {RefundStatus.OVERDUE}
    assert sorted(RefundEvent.objects.values_list("from_status", "to_status")) == [
        (RefundStatus.RAISED, RefundStatus.OVERDUE)] * 2
    assert [m.subject for m in mail.outbox] == [
        "[스마트공장 지원 포털] 과제의 환수금 납부 기한이 지났습니다"] * 2
    assert "40,000,000" in mail.outbox[0].body + mail.outbox[1].body
    # The project page shows the stored status; an overdue refund can still be paid back.
    client = Client()
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(f"/projects/{project.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.content.count(b'<span class="text-danger">Overdue</span>') == 2
    refund = Refund.objects.get(source="national")
    services.record_refund_paid(refund, user=staff, paid_on=due + timedelta(days=3))
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PAID
    assert selectors.project_figures(project).refund_paid["national"] == 40_000_000


def test_a_refund_paid_before_the_task_runs_stays_paid(refunded, staff):
    refund = Refund.objects.get(source="national")
    services.record_refund_paid(refund, user=staff, paid_on=refunded)
    assert services.mark_overdue_refunds(refunded + timedelta(days=1)) == 1
    assert dict(Refund.objects.values_list("source", "status")) == {
        "national": RefundStatus.PAID, "provincial": RefundStatus.OVERDUE}


def test_the_beat_runs_the_task_daily(settings):
    from settlement import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["settlement-overdue-refunds"]
    assert entry["task"] == tasks.mark_overdue_refunds.name == "settlement.mark_overdue_refunds"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {10})
