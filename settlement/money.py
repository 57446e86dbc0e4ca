"""The money of payments and settlement (DOMAIN.md §3, §10) as pure functions over plain
values: the advance, the recognised cost, the settled support, the balance and the refund.

The settled support is ``projects.money.agreed_support`` (``programs.money.compute_support``
held under a ceiling) applied to the recognised cost with the agreed support as its ceiling:
the same rule as the award and the agreement, never written twice.

A cluster (DOMAIN.md §2.2: five or more member companies, the support capped per member
company) is settled per member company. Its invoices are the one supplier's to the cluster and
are not recorded per member, so — **the portal's assumption** — the cluster's recognised cost is
split among its members in proportion to their agreed (awarded) costs, the last member taking
the remainder so the parts add up to the won; each member's settled support is the §3 rule
applied to its part, each source at most that member's agreed support; the cluster's settled
support per source is the members' sum (``projects.money.cluster_support``, the rule of an
agreement's cost change too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from programs.money import TrackRules, floor_to_unit
from projects.money import (  # noqa: F401 (the cluster's names are this module's too)
    COST_ITEMS,
    SOURCES,
    Member,
    agreed_support,
    cluster_support,
    member_ceilings,
    member_parts,
)


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
class MemberFigures:
    """One member company's part of a cluster's settlement."""

    company: str
    registration_number: str
    agreed_cost: int
    agreed: dict[str, int]
    recognised_cost: int
    settled: dict[str, int]

    @property
    def agreed_total(self) -> int:
        return sum(self.agreed.values())

    @property
    def settled_total(self) -> int:
        return sum(self.settled.values())

    def as_dict(self) -> dict:
        """JSON for ``Settlement.members``."""
        return {"company": self.company, "registration_number": self.registration_number,
                "agreed_cost": self.agreed_cost, "agreed": dict(self.agreed),
                "agreed_total": self.agreed_total, "recognised_cost": self.recognised_cost,
                "settled": dict(self.settled), "settled_total": self.settled_total}


def settle_members(rules: TrackRules, recognised_cost: int, members: list[Member],
                   agreed: dict[str, int]) -> list[MemberFigures]:
    """A cluster's recognised cost split among its members (``member_parts``) and each
    member's settled support: the §3 rule on its part, each source at most its agreed
    support."""
    _total, parts = cluster_support(rules, recognised_cost, members, agreed)
    return [MemberFigures(company=part.member.company,
                          registration_number=part.member.registration_number,
                          agreed_cost=part.member.cost, agreed=part.ceiling,
                          recognised_cost=part.cost, settled=dict(part.support.shares))
            for part in parts]


@dataclass(frozen=True)
class SettledFigures:
    recognised: dict[str, int]
    settled: dict[str, int]
    balance: dict[str, int]
    refund: dict[str, int]
    members: tuple[MemberFigures, ...] = ()

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


    @property
    def members_json(self) -> list[dict]:
        return [member.as_dict() for member in self.members]


def settle(rules: TrackRules, recognised: dict[str, int], agreed: dict[str, int],
           paid: dict[str, int], members: list[Member] = ()) -> SettledFigures:
    """The settled support (the money rule applied to the recognised cost, each source at most
    its agreed support), the balance still to pay and the refund (paid − settled, when
    positive) per source. With ``members`` (a cluster) the settled support is the sum of the
    members' (``settle_members``): the cap applies per member company, not once to the
    cluster."""
    total = sum(recognised.values())
    if members:
        parts = tuple(settle_members(rules, total, list(members), agreed))
        settled = {source: sum(part.settled[source] for part in parts) for source in SOURCES}
    else:
        parts = ()
        support = agreed_support(rules, total, agreed)
        settled = {source: support.shares.get(source, 0) for source in SOURCES}
    balance = {source: max(0, settled[source] - paid.get(source, 0)) for source in SOURCES}
    refund = {source: max(0, paid.get(source, 0) - settled[source]) for source in SOURCES}
    return SettledFigures(recognised=dict(recognised), settled=settled, balance=balance,
                          refund=refund, members=parts)
