"""The money rules of DOMAIN.md §3 (``programs.money``) on the demo tracks and in general."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programs.enums import FundingSource
from programs.models import Track
from programs.money import ShareRule, TrackRules, compute_support, floor_to_unit, total_rate

NAT, PROV, MUNI = FundingSource.NATIONAL, FundingSource.PROVINCIAL, FundingSource.MUNICIPAL


def rules_of(code, order):
    track = Track.objects.select_related("call").get(call__code=code, order=order)
    return TrackRules.for_track(track)


@pytest.mark.parametrize(("code", "order", "cost", "shares"), [
    # Jeonnam advanced: 80% = national 50% (≤ 200,000,000) + 15% + 15%.
    ("2025-JN", 1, 400_000_000, {NAT: 200_000_000, PROV: 60_000_000, MUNI: 60_000_000}),
    # Cost above the maximum project cost: the eligible cost is the maximum.
    ("2025-JN", 1, 500_000_000, {NAT: 200_000_000, PROV: 60_000_000, MUNI: 60_000_000}),
    # Basic: 30% + 30% of at most 100,000,000, within the 70,000,000 total cap.
    ("2025-GB", 2, 100_000_000, {PROV: 30_000_000, MUNI: 30_000_000}),
    # Rounded down to 1,000 won: 123,456,789 is above the maximum, 99,999,999 is not.
    ("2025-GB", 2, 99_999_999, {PROV: 29_999_000, MUNI: 29_999_000}),
    # Jeonbuk advanced: the provincial 20% stops at its 80,000,000 cap.
    ("2025-JB", 1, 400_000_000, {NAT: 200_000_000, PROV: 80_000_000}),
    ("2025-JB", 1, 300_000_000, {NAT: 150_000_000, PROV: 60_000_000}),
    # Robots and equipment: 25% + 25% of at most 200,000,000, total cap 100,000,000.
    ("2025-JN", 3, 200_000_000, {PROV: 50_000_000, MUNI: 50_000_000}),
    # Cluster member: 50%, at most 40,000,000.
    ("2025-CL", 1, 100_000_000, {NAT: 40_000_000}),
    ("2025-CL", 1, 60_000_000, {NAT: 30_000_000}),
    ("2025-CL", 1, 0, {NAT: 0}),
])
def test_support_on_demo_tracks(demo, code, order, cost, shares):
    support = compute_support(rules_of(code, order), cost)
    assert support.shares == shares
    assert support.contribution == cost - sum(shares.values())


def test_excess_over_total_cap_comes_off_municipal_then_provincial():
    rules = TrackRules(shares=(ShareRule(NAT, Decimal("0.4")), ShareRule(PROV, Decimal("0.3")),
                               ShareRule(MUNI, Decimal("0.2"))), total_cap=50_000_000)
    # 40 + 30 + 20 = 90 million, 40 million over the cap: municipal 20 → 0, provincial 30 → 10.
    assert compute_support(rules, 100_000_000).shares == {
        NAT: 40_000_000, PROV: 10_000_000, MUNI: 0}


def test_rules_of_a_track_in_source_order_and_as_dict(demo):
    rules = rules_of("2025-JN", 1)
    assert rules.as_dict() == {
        "shares": [{"source": "national", "rate": "0.5000", "cap": 200_000_000},
                   {"source": "provincial", "rate": "0.1500", "cap": None},
                   {"source": "municipal", "rate": "0.1500", "cap": None}],
        "rounding_unit": 1000, "max_project_cost": 400_000_000, "total_cap": None,
    }


@pytest.mark.parametrize(("amount", "unit", "floored"), [
    (37_037_036, 1000, 37_037_000), (999, 1000, 0), (1000, 1000, 1000),
    (Decimal("1234.9"), 1, 1234), (0, 10_000, 0), (55_555, 10_000, 50_000),
])
def test_floor_to_unit(amount, unit, floored):
    assert floor_to_unit(amount, unit) == floored


def test_floor_to_unit_refuses_unit_below_one_won():
    with pytest.raises(ValueError, match="at least 1 won"):
        floor_to_unit(100, 0)


def test_negative_cost_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        compute_support(TrackRules(shares=()), -1)


def test_total_rate():
    assert total_rate(["0.5", Decimal("0.15"), "0.15"]) == Decimal("0.80")


rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.5"), places=4)
# Caps are whole thousands of won, as every real cap is; the units below divide 1,000.
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=10**6).map(lambda n: n * 1000))
track_rules = st.builds(
    lambda shares, unit, max_cost, total_cap: TrackRules(
        shares=tuple(ShareRule(source, rate, cap) for source, (rate, cap) in
                     zip((NAT, PROV, MUNI), shares, strict=False)),
        rounding_unit=unit, max_project_cost=max_cost, total_cap=total_cap),
    st.lists(st.tuples(rates, caps), min_size=1, max_size=2),
    st.sampled_from([1, 10, 100, 1000]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=10**10)),
    caps,
)


@given(track_rules, st.integers(min_value=0, max_value=10**11))
def test_support_never_breaks_a_limit(rules, cost):
    support = compute_support(rules, cost)
    eligible = min(cost, rules.max_project_cost) if rules.max_project_cost is not None else cost
    assert support.eligible_cost == eligible
    for rule in rules.shares:
        amount = support.shares[rule.source]
        assert 0 <= amount <= eligible * rule.rate
        assert amount % rules.rounding_unit == 0
        if rule.cap is not None:
            assert amount <= rule.cap
    if rules.total_cap is not None:
        assert support.total <= rules.total_cap
    assert support.contribution == cost - support.total >= 0


@given(track_rules, st.integers(min_value=0, max_value=10**10),
       st.integers(min_value=0, max_value=10**10))
def test_more_cost_never_means_less_support(rules, cost, extra):
    assert compute_support(rules, cost + extra).total >= compute_support(rules, cost).total
