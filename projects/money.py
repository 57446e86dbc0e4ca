"""The agreement's money (DOMAIN.md §3, §9) as pure functions over plain values.

The support is always ``programs.money.compute_support`` of the agreed cost, then held at or
below a ceiling per funding source: the award (at acceptance) or the agreement's current
support (a cost change may lower the support, never raise it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.templatetags.portal_tags import won
from programs.money import SOURCE_ORDER, TrackRules, compute_support, minimum_cash

COST_ITEMS = ("software", "hardware", "consulting", "other")
SOURCES = tuple(source.value for source in SOURCE_ORDER)


@dataclass(frozen=True)
class AgreedSupport:
    total_cost: int
    eligible_cost: int
    computed: dict[str, int]
    shares: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.shares.values())

    @property
    def contribution(self) -> int:
        return self.total_cost - self.total

    @property
    def held_at_ceiling(self) -> bool:
        return self.shares != self.computed


def agreed_support(rules: TrackRules, total_cost: int, ceiling: dict[str, int]) -> AgreedSupport:
    """The support for ``total_cost`` won, each source at most its ``ceiling``."""
    support = compute_support(rules, total_cost)
    computed = {source: support.shares.get(source, 0) for source in SOURCES}
    shares = {source: min(computed[source], ceiling.get(source, 0)) for source in SOURCES}
    return AgreedSupport(total_cost=total_cost, eligible_cost=support.eligible_cost,
                         computed=computed, shares=shares)




# --- Clusters (DOMAIN.md §2.2): the support is capped per member company ---------------------
# A cluster's costs (a cost change, the invoices at settlement) are the one supplier's to the
# cluster, not recorded per member; the portal's assumption: they are split among the members
# in proportion to their awarded costs (``member_parts``), and the §3 rule applies to each
# member's part under that member's ceiling.

@dataclass(frozen=True)
class Member:
    """One member company of a cluster: its name and registration number, its agreed
    (awarded) cost and its agreed support per source (the award line's ``members``)."""

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


@dataclass(frozen=True)
class MemberSupport:
    member: Member
    cost: int  # the member's part of the cluster's cost
    ceiling: dict[str, int]
    support: AgreedSupport


def cluster_support(rules: TrackRules, total_cost: int, members: list[Member],
                    ceiling: dict[str, int]) -> tuple[AgreedSupport, list[MemberSupport]]:
    """A cluster's support for ``total_cost`` won: ``agreed_support`` of each member's part
    (``member_parts``) under its ceiling (``member_ceilings`` of the cluster's ``ceiling``),
    and their sum per source as the cluster's."""
    members = list(members)
    parts = []
    for member, cost, own in zip(members, member_parts(total_cost, [m.cost for m in members]),
                                 member_ceilings(members, ceiling), strict=True):
        parts.append(MemberSupport(member=member, cost=cost, ceiling=own,
                                   support=agreed_support(rules, cost, own)))
    total = AgreedSupport(
        total_cost=total_cost, eligible_cost=sum(p.support.eligible_cost for p in parts),
        computed={source: sum(p.support.computed[source] for p in parts) for source in SOURCES},
        shares={source: sum(p.support.shares[source] for p in parts) for source in SOURCES})
    return total, parts


def contribution_problems(support: AgreedSupport, *, cash: int, in_kind: int,
                          min_cash_share: Decimal) -> dict[str, str]:
    """Field name → message for a contribution that does not fit the support: cash and in kind
    must add up to the contribution, and the cash share must reach the call's minimum."""
    problems = {}
    contribution = support.contribution
    if cash + in_kind != contribution:
        problems["contribution_in_kind"] = _(
            "The contribution in cash and in kind must add up to the company's contribution, "
            "%(contribution)s (total cost less the support); they add up to %(sum)s.") % {
            "contribution": won(contribution), "sum": won(cash + in_kind)}
    least = minimum_cash(contribution, min_cash_share)
    if cash < least:
        problems["contribution_cash"] = _(
            "Minimum cash share: at least %(share)s%% of the contribution, %(least)s, is paid "
            "in cash.") % {"share": f"{Decimal(min_cash_share) * 100:.0f}",
                                "least": won(least)}
    return problems


def over_ceiling(shares: dict[str, int], ceiling: dict[str, int]) -> list[str]:
    """The sources on which ``shares`` exceed ``ceiling`` (a tampered or stale figure)."""
    return [source for source in SOURCES if shares.get(source, 0) > ceiling.get(source, 0)]
