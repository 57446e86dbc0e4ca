"""The money of payments and settlement (DOMAIN.md §3, §10) as pure functions over plain
values: the advance, the recognised cost, the settled support, the balance and the refund.

The settled support is ``projects.money.agreed_support`` (``programs.money.compute_support``
held under a ceiling) applied to the recognised cost with the agreed support as its ceiling:
the same rule as the award and the agreement, never written twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from programs.money import TrackRules, floor_to_unit
from projects.money import COST_ITEMS, SOURCES, agreed_support


def advance_amounts(agreed: dict[str, int], rate: Decimal, unit: int) -> dict[str, int]:
    """The advance per funding source: ``rate`` of the agreed support, rounded down to the
    call's unit."""
    return {source: floor_to_unit(Decimal(agreed.get(source, 0)) * Decimal(rate), unit)
            for source in SOURCES}


@dataclass(frozen=True)
class CountedInvoice:
    """What the recognised cost needs of an invoice: its cost item and supply amount (VAT
    excluded), and whether it counts (not cancelled, not excluded by staff)."""

    cost_item: str
    supply_amount: int
    counts: bool = True


def recognised_costs(invoices: Iterable[CountedInvoice],
                     agreed_costs: dict[str, int]) -> dict[str, int]:
    """Per cost item, the supply amounts of the counted invoices (a negative amended invoice
    takes its amount off), never below zero and at most the item's agreed cost."""
    sums = dict.fromkeys(COST_ITEMS, 0)
    for invoice in invoices:
        if invoice.counts and invoice.cost_item in sums:
            sums[invoice.cost_item] += invoice.supply_amount
    return {item: max(0, min(sums[item], agreed_costs.get(item, 0))) for item in COST_ITEMS}


@dataclass(frozen=True)
class SettledFigures:
    recognised: dict[str, int]
    settled: dict[str, int]
    balance: dict[str, int]
    refund: dict[str, int]

    @property
    def recognised_cost(self) -> int:
        return sum(self.recognised.values())

    @property
    def settled_total(self) -> int:
        return sum(self.settled.values())

    @property
    def balance_total(self) -> int:
        return sum(self.balance.values())

    @property
    def refund_total(self) -> int:
        return sum(self.refund.values())


def settle(rules: TrackRules, recognised: dict[str, int], agreed: dict[str, int],
           paid: dict[str, int]) -> SettledFigures:
    """The settled support (the money rule applied to the recognised cost, each source at most
    its agreed support), the balance still to pay and the refund (paid − settled, when
    positive) per source."""
    support = agreed_support(rules, sum(recognised.values()), agreed)
    settled = {source: support.shares.get(source, 0) for source in SOURCES}
    balance = {source: max(0, settled[source] - paid.get(source, 0)) for source in SOURCES}
    refund = {source: max(0, paid.get(source, 0) - settled[source]) for source in SOURCES}
    return SettledFigures(recognised=dict(recognised), settled=settled, balance=balance,
                          refund=refund)
