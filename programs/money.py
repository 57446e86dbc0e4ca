"""Money rules of DOMAIN.md §3, as pure functions over plain values.

Amounts are integer won; rates are ``Decimal``. Nothing here touches the database, so the
same code computes the support a company sees while typing, the award of an award run and
the figures of a benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .enums import CAP_REDUCTION_ORDER, FundingSource

SOURCE_ORDER = (FundingSource.NATIONAL, FundingSource.PROVINCIAL, FundingSource.MUNICIPAL)


def floor_to_unit(amount, unit: int) -> int:
    """Round a non-negative amount down to a whole multiple of ``unit`` won (천원 미만 절사)."""
    if unit < 1:
        raise ValueError("rounding unit must be at least 1 won")
    units = (Decimal(amount) / Decimal(unit)).to_integral_value(rounding=ROUND_FLOOR)
    return int(units) * unit


@dataclass(frozen=True)
class ShareRule:
    source: str
    rate: Decimal
    cap: int | None = None


@dataclass(frozen=True)
class TrackRules:
    """The inputs of the support computation for one track of one call."""

    shares: tuple[ShareRule, ...]
    rounding_unit: int = 1000
    max_project_cost: int | None = None
    total_cap: int | None = None

    @classmethod
    def for_track(cls, track, shares=None) -> TrackRules:
        """Build the rules of a ``programs.Track`` (pass ``shares`` to avoid a query)."""
        shares = track.shares.all() if shares is None else shares
        return cls(
            shares=tuple(
                ShareRule(s.source, Decimal(s.rate), s.per_company_cap)
                for s in sorted(shares, key=lambda s: SOURCE_ORDER.index(s.source))
            ),
            rounding_unit=track.call.rounding_unit,
            max_project_cost=track.max_project_cost,
            total_cap=track.total_cap,
        )

    def as_dict(self) -> dict:
        """A JSON-able copy, stored with every figure computed from these rules."""
        return {
            "shares": [
                {"source": s.source, "rate": str(s.rate), "cap": s.cap} for s in self.shares
            ],
            "rounding_unit": self.rounding_unit,
            "max_project_cost": self.max_project_cost,
            "total_cap": self.total_cap,
        }


@dataclass(frozen=True)
class Support:
    project_cost: int
    eligible_cost: int
    shares: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.shares.values())

    @property
    def contribution(self) -> int:
        """What the company pays itself: total cost less the support."""
        return self.project_cost - self.total


def compute_support(rules: TrackRules, project_cost: int) -> Support:
    """The support one company receives for ``project_cost`` won on a track.

    Each share is ``floor_to_unit(eligible_cost × rate)`` limited by its per-company cap; if the
    shares together exceed the track's total cap, the excess comes off the municipal share
    first, then the provincial, then the national.
    """
    if project_cost < 0:
        raise ValueError("project cost cannot be negative")
    eligible = project_cost
    if rules.max_project_cost is not None:
        eligible = min(eligible, rules.max_project_cost)
    shares: dict[str, int] = {}
    for rule in rules.shares:
        amount = floor_to_unit(Decimal(eligible) * rule.rate, rules.rounding_unit)
        if rule.cap is not None:
            amount = min(amount, rule.cap)
        shares[rule.source] = amount
    if rules.total_cap is not None:
        excess = sum(shares.values()) - rules.total_cap
        for source in CAP_REDUCTION_ORDER:
            if excess <= 0:
                break
            taken = min(excess, shares.get(source, 0))
            if source in shares:
                shares[source] -= taken
            excess -= taken
    return Support(project_cost=project_cost, eligible_cost=eligible, shares=shares)


def total_rate(rates) -> Decimal:
    return sum((Decimal(r) for r in rates), Decimal("0"))


def minimum_cash(contribution: int, min_cash_share) -> int:
    """The least cash a company must put in: the call's share of its contribution, rounded up
    to the won (a company never falls short by a fraction)."""
    amount = (Decimal(contribution) * Decimal(min_cash_share)).to_integral_value(
        rounding=ROUND_CEILING)
    return int(amount)
