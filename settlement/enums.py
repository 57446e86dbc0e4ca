"""Choices of the money's life cycle after the agreement (DOMAIN.md §10)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ProjectStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("project status", "In progress")
    REPORTED = "reported", pgettext_lazy("project status", "Completion reported")
    INSPECTED = "inspected", pgettext_lazy("project status", "Inspected")
    SETTLED = "settled", pgettext_lazy("project status", "Settled")
    CLAWED_BACK = "clawed_back", pgettext_lazy("project status", "Clawed back")


P = ProjectStatus
PROJECT_TRANSITIONS = {
    P.IN_PROGRESS: {P.REPORTED, P.CLAWED_BACK},
    P.REPORTED: {P.IN_PROGRESS, P.INSPECTED, P.CLAWED_BACK},
    P.INSPECTED: {P.SETTLED, P.CLAWED_BACK},
    P.SETTLED: {P.CLAWED_BACK},
    P.CLAWED_BACK: set(),
}


class LedgerKind(models.TextChoices):
    """What a ledger row records. Deposits are the company's cash (no funding source); the
    others are per funding source."""

    DEPOSIT = "deposit", pgettext_lazy("ledger kind", "Company deposit")
    ADVANCE = "advance", pgettext_lazy("ledger kind", "Advance paid")
    BALANCE = "balance", pgettext_lazy("ledger kind", "Balance paid")
    SETTLED = "settled", pgettext_lazy("ledger kind", "Support settled")
    REFUND_RAISED = "refund_raised", pgettext_lazy("ledger kind", "Refund raised")
    REFUND_PAID = "refund_paid", pgettext_lazy("ledger kind", "Refund paid")


PAYMENT_KINDS = (LedgerKind.ADVANCE, LedgerKind.BALANCE)


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", pgettext_lazy("payment kind", "Advance")
    BALANCE = "balance", pgettext_lazy("payment kind", "Balance")


class OrderStatus(models.TextChoices):
    PREVIEW = "preview", pgettext_lazy("payment order status", "Preview")
    CONFIRMED = "confirmed", pgettext_lazy("payment order status", "Confirmed")
    WITHDRAWN = "withdrawn", pgettext_lazy("payment order status", "Withdrawn")


ORDER_TRANSITIONS = {
    OrderStatus.PREVIEW: {OrderStatus.CONFIRMED, OrderStatus.WITHDRAWN},
    OrderStatus.CONFIRMED: set(),
    OrderStatus.WITHDRAWN: set(),
}


class InvoiceKind(models.TextChoices):
    NORMAL = "normal", pgettext_lazy("invoice kind", "Tax invoice")
    AMENDED = "amended", pgettext_lazy("invoice kind", "Amended tax invoice (수정세금계산서)")
    CANCELLED = "cancelled", pgettext_lazy("invoice kind", "Cancelled")


class FlagRule(models.TextChoices):
    """Why an invoice blocks settlement until staff clear it (DOMAIN.md §10)."""

    SUPPLIER = "supplier", pgettext_lazy("flag rule", "Supplier is not the agreed supplier")
    DATE = "date", pgettext_lazy("flag rule",
                                 "Dated before the agreement or after the project period")
    AMENDED = "amended", pgettext_lazy("flag rule",
                                       "Cancelled or negative amended invoice")
    DUPLICATE = "duplicate", pgettext_lazy("flag rule",
                                           "Approval number used in another project")
    UNPAID = "unpaid", pgettext_lazy("flag rule",
                                     "Proven payments to the supplier below the invoices")


class SettlementStatus(models.TextChoices):
    PREVIEW = "preview", pgettext_lazy("settlement status", "Preview")
    CONFIRMED = "confirmed", pgettext_lazy("settlement status", "Confirmed")


SETTLEMENT_TRANSITIONS = {
    SettlementStatus.PREVIEW: {SettlementStatus.CONFIRMED},
    SettlementStatus.CONFIRMED: set(),
}


class RefundStatus(models.TextChoices):
    RAISED = "raised", pgettext_lazy("refund status", "Raised")
    PAID = "paid", pgettext_lazy("refund status", "Paid")
    OVERDUE = "overdue", pgettext_lazy("refund status", "Overdue")


# A raised refund falls overdue the day after its due date (the daily beat task
# ``settlement.mark_overdue_refunds``); raised or overdue, it can be paid back.
REFUND_TRANSITIONS = {RefundStatus.RAISED: {RefundStatus.PAID, RefundStatus.OVERDUE},
                      RefundStatus.OVERDUE: {RefundStatus.PAID}, RefundStatus.PAID: set()}


class SettlementRule(models.TextChoices):
    """The rules a payment or settlement is refused under (named in the refusal)."""

    DEPOSIT_FIRST = "deposit_first", pgettext_lazy(
        "settlement rule", "The company's cash contribution is deposited first")
    WITHIN_AGREED = "within_agreed", pgettext_lazy(
        "settlement rule", "Paid support never exceeds the agreed support")
    ONCE = "once", pgettext_lazy("settlement rule", "Each instalment is paid once")
    AFTER_SETTLEMENT = "after_settlement", pgettext_lazy(
        "settlement rule", "The balance is paid after settlement")
    FLAGS_CLEARED = "flags_cleared", pgettext_lazy(
        "settlement rule", "Every flag is cleared before settlement")
    REPORTED = "reported", pgettext_lazy(
        "settlement rule", "Settlement follows the submitted completion report")
    INSPECTED = "inspected", pgettext_lazy(
        "settlement rule", "Settlement follows a passed final inspection")
    NOT_CONFLICTED = "not_conflicted", pgettext_lazy(
        "settlement rule", "An inspector has no conflict with the company or its supplier")
    REMEDIATE_ONCE = "remediate_once", pgettext_lazy(
        "settlement rule", "Remediation is asked once")
    FOLLOW_UP_DUE = "follow_up_due", pgettext_lazy(
        "settlement rule", "A follow-up report is filed for a year that is due")


class InspectionStatus(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("inspection status", "Assigned")
    REMEDIATE = "remediate", pgettext_lazy("inspection status", "Remediation asked")
    PASSED = "passed", pgettext_lazy("inspection status", "Passed")
    FAILED = "failed", pgettext_lazy("inspection status", "Failed")
    WITHDRAWN = "withdrawn", pgettext_lazy("inspection status", "Conflict declared")


INSPECTION_TRANSITIONS = {
    InspectionStatus.ASSIGNED: {InspectionStatus.REMEDIATE, InspectionStatus.PASSED,
                                InspectionStatus.FAILED, InspectionStatus.WITHDRAWN},
    InspectionStatus.REMEDIATE: {InspectionStatus.PASSED, InspectionStatus.FAILED},
    InspectionStatus.PASSED: set(),
    InspectionStatus.FAILED: set(),
    InspectionStatus.WITHDRAWN: set(),
}


class Decision(models.TextChoices):
    PASS = "passed", pgettext_lazy("inspection decision", "Pass")
    REMEDIATE = "remediate", pgettext_lazy("inspection decision", "Remediate (once)")
    FAIL = "failed", pgettext_lazy("inspection decision", "Fail")
