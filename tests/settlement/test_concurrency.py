"""Two staff confirming payments or settlements of the same project at the same moment:
exactly one applies, nothing is paid twice.

The services lock the project's row (then the call's budget lines, then the order): on
PostgreSQL the second transaction waits for the first and then finds its ledger rows. SQLite
has no row locks and refuses a second concurrent writer; the worker then tries again, as a user
would, and finds the same. The ledger's unique instalment per project and source is the last
line of defence either way.
"""

import pytest

from settlement import selectors, services
from settlement.enums import OrderStatus, PaymentKind
from settlement.models import LedgerEntry, PaymentOrder
from tests.concurrency import run_concurrently

from .conftest import deposit


def confirming(order_id, user):
    return lambda: services.confirm_payment(PaymentOrder.objects.get(pk=order_id), user=user).pk


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_of_one_order_pay_once(project, staff):
    deposit(project, staff)
    order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    outcomes, errors = run_concurrently([confirming(order.pk, staff),
                                         confirming(order.pk, staff)])
    assert outcomes == [order.pk]
    assert [(type(e), e.code) for e in errors] == [(services.Refused, "once")]
    assert selectors.project_figures(project).paid == {
        "national": 140_000_000, "provincial": 56_000_000, "municipal": 0}


@pytest.mark.django_db(transaction=True)
def test_two_advance_orders_confirmed_at_once_pay_one(project, staff):
    deposit(project, staff)
    first = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    second = PaymentOrder.objects.create(
        project=project, call_id=project.call_id, kind=PaymentKind.ADVANCE, created_by=staff,
        national=first.national, provincial=first.provincial)
    outcomes, errors = run_concurrently([confirming(first.pk, staff),
                                         confirming(second.pk, staff)])
    assert len(outcomes) == 1
    assert [(type(e), e.code) for e in errors] == [(services.Refused, "once")]
    assert sorted(PaymentOrder.objects.values_list("status", flat=True)) == [
        OrderStatus.CONFIRMED, OrderStatus.PREVIEW]
    assert LedgerEntry.objects.filter(kind="advance").count() == 2
    assert selectors.project_figures(project).total("paid") == 196_000_000
