"""Deposits and payments: the advance after the company's cash deposit (70% of the agreed
support per source, rounded down to the call's unit), previewed then confirmed, each movement a
ledger row; a payment above what is agreed, or twice, refused with the rule named."""

import pytest

from settlement import selectors, services
from settlement.enums import LedgerKind, OrderStatus, PaymentKind
from settlement.models import AppendOnly, LedgerEntry, PaymentOrder

from .conftest import deposit


def test_advance_before_the_deposit_is_refused_with_the_rule_named(project, staff):
    deposit(project, staff, amount=69_999_999)
    with pytest.raises(services.Refused) as refused:
        services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    assert refused.value.code == "deposit_first"
    assert refused.value.messages == [
        "기업부담금 현금을 먼저 입금합니다: 현금 기업부담금 70,000,000원 중 69,999,999원이 "
        "입금되었습니다."]


def test_advance_is_seventy_percent_of_each_source_and_written_to_the_ledger(
        project, staff, django_capture_on_commit_callbacks):
    deposit(project, staff)
    order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    assert (order.status, order.shares) == (
        OrderStatus.PREVIEW, {"national": 140_000_000, "provincial": 56_000_000,
                              "municipal": 0})
    assert LedgerEntry.objects.filter(kind=LedgerKind.ADVANCE).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_payment(order, user=staff)
    order.refresh_from_db()
    assert (order.status, order.confirmed_by) == (OrderStatus.CONFIRMED, staff)
    figures = selectors.project_figures(project)
    assert (figures.deposited, figures.paid) == (
        70_000_000, {"national": 140_000_000, "provincial": 56_000_000, "municipal": 0})
    assert list(LedgerEntry.objects.order_by("pk").values_list("kind", "source", "amount")) == [
        ("deposit", "", 70_000_000), ("advance", "national", 140_000_000),
        ("advance", "provincial", 56_000_000)]


def test_advance_rounds_down_to_the_calls_unit(project, staff):
    agreement = project.agreement
    type(agreement).objects.filter(pk=agreement.pk).update(national=199_999_999)
    project.agreement.refresh_from_db()
    deposit(project, staff)
    order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    # 70% of 199,999,999 is 139,999,999.3: 139,999,000 at the 1,000-won unit.
    assert order.national == 139_999_000


def test_advance_twice_is_refused(project, staff):
    deposit(project, staff)
    services.confirm_payment(services.prepare_payment(project, PaymentKind.ADVANCE, user=staff),
                             user=staff)
    with pytest.raises(services.Refused) as refused:
        services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    assert refused.value.code == "once"


def test_a_payment_above_the_agreed_support_is_refused(project, staff):
    deposit(project, staff)
    order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    PaymentOrder.objects.filter(pk=order.pk).update(national=200_000_001)
    with pytest.raises(services.Refused) as refused:
        services.confirm_payment(order, user=staff)
    assert refused.value.code == "within_agreed"
    assert LedgerEntry.objects.exclude(kind=LedgerKind.DEPOSIT).count() == 0


def test_confirming_a_confirmed_order_again_pays_nothing_twice(project, staff):
    deposit(project, staff)
    order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    services.confirm_payment(order, user=staff)
    with pytest.raises(services.Refused) as refused:
        services.confirm_payment(order, user=staff)
    assert refused.value.code == "once"
    assert selectors.project_figures(project).total("paid") == 196_000_000


def test_the_balance_before_settlement_is_refused(project, staff):
    with pytest.raises(services.Refused) as refused:
        services.prepare_payment(project, PaymentKind.BALANCE, user=staff)
    assert refused.value.code == "after_settlement"


def test_ledger_rows_are_never_changed_or_deleted(project, staff):
    deposit(project, staff)
    entry = LedgerEntry.objects.get()
    entry.amount = 1
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    assert LedgerEntry.objects.get().amount == 70_000_000
