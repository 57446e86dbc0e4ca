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
