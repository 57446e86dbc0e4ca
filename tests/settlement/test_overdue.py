"""A refund is overdue once its due date has passed while it is still to be paid back: one rule
(``selectors.refund_is_overdue``), the same as the queryset of overdue refunds."""

from datetime import date

import pytest

from settlement import selectors
from settlement.enums import RefundStatus
from settlement.models import Refund


@pytest.mark.parametrize(("status", "due_on", "overdue"), [
    (RefundStatus.RAISED, date(2026, 12, 1), True),
    (RefundStatus.RAISED, date(2026, 12, 2), False),  # due today: not yet overdue
    (RefundStatus.PAID, date(2026, 11, 1), False),
])
def test_a_refund_is_overdue_after_its_due_date_while_raised(status, due_on, overdue):
    refund = Refund(status=status, due_on=due_on)
    assert selectors.refund_is_overdue(refund, date(2026, 12, 2)) is overdue
