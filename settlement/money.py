"""The money of payments and settlement (DOMAIN.md §3, §10) as pure functions over plain
values: the advance, the recognised cost, the settled support, the balance and the refund.

The settled support is ``projects.money.agreed_support`` (``programs.money.compute_support``
held under a ceiling) applied to the recognised cost with the agreed support as its ceiling:
the same rule as the award and the agreement, never written twice.

A cluster (DOMAIN.md §2.2: five or more member companies, the support capped per member
company) is settled per member company. Its invoices are the one supplier's to the cluster and
are not recorded per member, so — **the portal's assumption** — the cluster's recognised cost is
split among its members in proportion to their agreed (awarded) costs, the last member taking
the remainder so the parts add up to the won (``member_parts``); each member's settled support
is the §3 rule applied to its part, each source at most that member's agreed support
(``settle_members``); the cluster's settled support per source is the members' sum.
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
class Member:
    """What a cluster's settlement needs of one member company: its name and registration
    number, its agreed (awarded) cost and its agreed support per source (the award line's
    ``members``)."""

    company: str
    registration_number: str
    cost: int
    agreed: dict[str, int]

    @classmethod
    def from_line(cls, row: dict) -> Member:
        """A member of ``ResultLine.members`` (``awards.services.member_results``)."""
        shares = row.get("shares") or {}
        return cls(company=row.get("company", ""),
                   registration_number=row.get("registration_number", ""),
                   cost=int(row.get("cost", 0)),
                   agreed={source: int(shares.get(source, 0)) for source in SOURCES})


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


def member_parts(total: int, costs: list[int]) -> list[int]:
    """``total`` won split in proportion to ``costs`` (rounded down), the last member taking
    the remainder, so the parts add up to ``total`` exactly. With no cost at all, the last
    member takes everything."""
    if not costs:
        return []
    weight = sum(costs)
    if weight <= 0:
        return [0] * (len(costs) - 1) + [total]
    parts = [total * cost // weight for cost in costs[:-1]]
    return [*parts, total - sum(parts)]


def member_ceilings(members: list[Member], agreed: dict[str, int]) -> list[dict[str, int]]:
    """Each member's agreed support per source, held within the cluster's agreed support: when
    the agreement's support on a source is below the members' sum (a change lowered it), the
    difference is taken off the members from the last one backward."""
    ceilings = [dict(member.agreed) for member in members]
    for source in SOURCES:
        excess = sum(ceiling[source] for ceiling in ceilings) - agreed.get(source, 0)
        for ceiling in reversed(ceilings):
            if excess <= 0:
                break
            taken = min(excess, ceiling[source])
            ceiling[source] -= taken
            excess -= taken
    return ceilings


def settle_members(rules: TrackRules, recognised_cost: int, members: list[Member],
                   agreed: dict[str, int]) -> list[MemberFigures]:
    """A cluster's recognised cost split among its members (``member_parts``) and each
    member's settled support: the §3 rule on its part, each source at most its agreed
    support."""
    parts = member_parts(recognised_cost, [member.cost for member in members])
    figures = []
    for member, part, ceiling in zip(members, parts, member_ceilings(members, agreed),
                                     strict=True):
        support = agreed_support(rules, part, ceiling)
        figures.append(MemberFigures(
            company=member.company, registration_number=member.registration_number,
            agreed_cost=member.cost, agreed=ceiling, recognised_cost=part,
            settled={source: support.shares.get(source, 0) for source in SOURCES}))
    return figures


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
