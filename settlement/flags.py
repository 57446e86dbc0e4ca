"""The flag rules of settlement (DOMAIN.md §10) as pure functions: which invoices of a
completion report block settlement, and why. The patterns behind most collusion cases: another
supplier's invoice, an invoice outside the period, a cancelled or reverse-issued invoice, an
approval number used twice, and payments to the supplier that fall short of its invoices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .enums import FlagRule, InvoiceKind


@dataclass(frozen=True)
class InvoiceFacts:
    key: int
    approval_number: str
    issued_on: date
    supplier_registration_number: str
    kind: str
    supply_amount: int
    vat: int

    @property
    def total(self) -> int:
        return self.supply_amount + self.vat


@dataclass(frozen=True)
class PaymentFacts:
    supplier_registration_number: str
    amount: int


def supplier_shortfalls(invoices: Iterable[InvoiceFacts],
                        payments: Iterable[PaymentFacts]) -> dict[str, tuple[int, int]]:
    """Supplier → (invoiced, proven paid) for every supplier paid less than its invoices
    (supply and VAT of every invoice not cancelled, amended ones netted)."""
    invoiced: dict[str, int] = {}
    for invoice in invoices:
        if invoice.kind != InvoiceKind.CANCELLED:
            number = invoice.supplier_registration_number
            invoiced[number] = invoiced.get(number, 0) + invoice.total
    paid: dict[str, int] = {}
    for payment in payments:
        number = payment.supplier_registration_number
        paid[number] = paid.get(number, 0) + payment.amount
    return {number: (amount, paid.get(number, 0)) for number, amount in invoiced.items()
            if paid.get(number, 0) < amount}


def invoice_flags(invoices: Iterable[InvoiceFacts], payments: Iterable[PaymentFacts], *,
                  agreed_supplier: str, period_start: date, period_end: date,
                  used_elsewhere: set[str]) -> dict[int, dict[str, dict]]:
    """Invoice key → {rule: the facts that raised it} for every invoice that breaks a rule."""
    invoices = list(invoices)
    shortfalls = supplier_shortfalls(invoices, payments)
    found: dict[int, dict[str, dict]] = {}
    for invoice in invoices:
        rules: dict[str, dict] = {}
        if invoice.supplier_registration_number != agreed_supplier:
            rules[FlagRule.SUPPLIER] = {"supplier": invoice.supplier_registration_number,
                                        "agreed": agreed_supplier}
        if invoice.issued_on < period_start or invoice.issued_on > period_end:
            rules[FlagRule.DATE] = {"issued_on": invoice.issued_on.isoformat(),
                                    "start": period_start.isoformat(),
                                    "end": period_end.isoformat()}
        if invoice.kind == InvoiceKind.CANCELLED or (
                invoice.kind == InvoiceKind.AMENDED and invoice.supply_amount < 0):
            rules[FlagRule.AMENDED] = {"kind": invoice.kind,
                                       "supply_amount": invoice.supply_amount}
        if invoice.approval_number in used_elsewhere:
            rules[FlagRule.DUPLICATE] = {"approval_number": invoice.approval_number}
        if invoice.supplier_registration_number in shortfalls:
            invoiced, paid = shortfalls[invoice.supplier_registration_number]
            rules[FlagRule.UNPAID] = {"invoiced": invoiced, "paid": paid}
        if rules:
            found[invoice.key] = rules
    return found
