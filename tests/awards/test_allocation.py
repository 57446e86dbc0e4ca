"""The pure allocation of DOMAIN.md §6: properties for random calls, exact figures for the
demo calls."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.allocation import (
    Candidate,
    TrackPlan,
    allocate,
    allocate_stored,
    inputs_hash,
    rules_from_dict,
    split_contribution,
)
from awards.enums import Outcome
from programs.enums import FundingSource
from programs.models import BudgetLine, Call
from programs.money import ShareRule, Support, TrackRules, compute_support

NAT, PROV, MUNI = FundingSource.NATIONAL.value, FundingSource.PROVINCIAL.value, \
    FundingSource.MUNICIPAL.value
SOURCES = (NAT, PROV, MUNI)
CUTOFF = Decimal("70.00")


# --- Strategies: random tracks, budget lines and scored applications.

rates = st.integers(min_value=1, max_value=6000).map(lambda n: Decimal(n) / 10000)
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=300).map(lambda n: n * 1_000_000))


@st.composite
def track_rules(draw):
    sources = draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3, unique=True))
    sources.sort(key=SOURCES.index)
    return TrackRules(
        shares=tuple(ShareRule(s, draw(rates), draw(caps)) for s in sources),
        rounding_unit=draw(st.sampled_from([1, 10, 1000, 10_000])),
        max_project_cost=draw(st.one_of(st.none(), st.integers(1, 500).map(
            lambda n: n * 1_000_000))),
        total_cap=draw(caps),
    )


@st.composite
def calls(draw):
    count = draw(st.integers(min_value=1, max_value=3))
    orders = draw(st.permutations(range(1, count + 1)))
    tracks = [
        TrackPlan(track_id=100 + i, order=orders[i], rules=draw(track_rules()),
                  target=draw(st.one_of(st.none(), st.integers(0, 8))),
                  already_selected=draw(st.integers(0, 3)))
        for i in range(count)
    ]
    budget = {s: draw(st.integers(0, 40).map(lambda n: n * 25_000_000))
              for s in draw(st.lists(st.sampled_from(SOURCES), max_size=3, unique=True))}
    size = draw(st.integers(min_value=0, max_value=30))
    candidates = []
    ranks: dict[int, int] = {}
    for i in range(size):
        track = draw(st.sampled_from(tracks))
        ranks[track.track_id] = ranks.get(track.track_id, 0) + draw(st.integers(1, 2))
        # Some candidates are clusters: several member companies, each with its own cost.
        members = tuple(draw(st.lists(st.integers(1, 200_000_000), max_size=6)))
        candidates.append(Candidate(
            application_id=1000 + i, track_id=track.track_id,
            final_score=Decimal(draw(st.integers(5000, 10300))) / 100,
            rank=ranks[track.track_id],
            project_cost=sum(members) if members else draw(st.integers(0, 600_000_000)),
            planned_in_kind=draw(st.integers(0, 200_000_000)),
            member_costs=members,
        ))
    cutoff = Decimal(draw(st.integers(6000, 8000))) / 100
    return tracks, budget, cutoff, draw(st.permutations(candidates))


def expected_support(rules, candidate):
    """DOMAIN.md §3 applied to a candidate: compute_support on its cost, or on each member
    company's cost for a cluster, summed."""
    if not candidate.member_costs:
        return compute_support(rules, candidate.project_cost)
    parts = [compute_support(rules, cost) for cost in candidate.member_costs]
    shares = {}
    for part in parts:
        for source, amount in part.shares.items():
            shares[source] = shares.get(source, 0) + amount
    return Support(project_cost=candidate.project_cost,
                   eligible_cost=sum(p.eligible_cost for p in parts), shares=shares)


def reference_greedy(tracks, budget, cutoff, candidates):
    """DOMAIN.md §6 read literally, as the oracle: {application id: outcome}."""
    remaining = dict(budget)
    outcomes = {}
    for track in sorted(tracks, key=lambda t: t.order):
        selected = track.already_selected
        mine = sorted((c for c in candidates if c.track_id == track.track_id),
                      key=lambda c: (c.rank, c.application_id))
        for c in mine:
            shares = expected_support(track.rules, c).shares
            if c.final_score < cutoff:
                outcomes[c.application_id] = Outcome.NOT_SELECTED
                continue
            target_left = track.target is None or selected < track.target
            fits = all(v == 0 or v <= remaining.get(s, 0) for s, v in shares.items())
            if target_left and fits:
                for s, v in shares.items():
                    if v:
                        remaining[s] -= v
                selected += 1
                outcomes[c.application_id] = Outcome.SELECTED
            else:
                outcomes[c.application_id] = Outcome.WAITLISTED
    return outcomes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls())
def test_allocate_random_calls_never_exceed_a_budget_line(call):
    tracks, budget, cutoff, candidates = call
    result = allocate(tracks, budget, cutoff, candidates)
    for source in SOURCES:
        awarded = sum(line.award.get(source, 0) for line in result.lines)
        assert awarded <= budget.get(source, 0)
        assert awarded == result.allocated.get(source, 0)
        assert result.remaining.get(source, 0) == budget.get(source, 0) - awarded


@settings(max_examples=300, deadline=None)
@given(calls())
def test_allocate_random_calls_award_equals_compute_support(call):
    tracks, budget, cutoff, candidates = call
    rules = {t.track_id: t.rules for t in tracks}
    by_id = {c.application_id: c for c in candidates}
    result = allocate(tracks, budget, cutoff, candidates)
    assert sorted(line.application_id for line in result.lines) == sorted(by_id)
    for line in result.lines:
        candidate = by_id[line.application_id]
        expected = expected_support(rules[line.track_id], candidate)
        assert line.support == expected
        assert line.members == tuple(compute_support(rules[line.track_id], cost)
                                     for cost in candidate.member_costs)
        if line.outcome == Outcome.SELECTED:
            assert line.award == {s: v for s, v in expected.shares.items() if v}
        else:
            assert line.award == {}
        assert line.contribution_cash + line.contribution_in_kind == expected.contribution


@settings(max_examples=300, deadline=None)
@given(calls())
def test_allocate_random_calls_is_the_rank_order_greedy(call):
    tracks, budget, cutoff, candidates = call
    result = allocate(tracks, budget, cutoff, candidates)
    assert {line.application_id: line.outcome for line in result.lines} == \
        reference_greedy(tracks, budget, cutoff, candidates)
    # Targets are never passed; the waitlist is numbered in rank order within each track.
    for track in tracks:
        mine = [line for line in result.lines if line.track_id == track.track_id]
        selected = sum(line.outcome == Outcome.SELECTED for line in mine)
        if track.target is not None:
            assert selected <= track.open_places
        positions = [line.waitlist_position for line in mine
                     if line.outcome == Outcome.WAITLISTED]
        assert positions == list(range(1, len(positions) + 1))
        assert [line.rank for line in mine] == sorted(line.rank for line in mine)


@settings(max_examples=100, deadline=None)
@given(calls())
def test_allocate_same_inputs_in_any_order_give_the_same_lines(call):
    tracks, budget, cutoff, candidates = call
    assert allocate(tracks, budget, cutoff, candidates) == \
        allocate(list(reversed(tracks)), budget, cutoff, list(reversed(candidates)))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**10), st.integers(0, 10**10),
       st.integers(0, 10000).map(lambda n: Decimal(n) / 10000))
def test_split_contribution_keeps_the_minimum_cash_share(contribution, in_kind, share):
    cash, kind = split_contribution(contribution, in_kind, share)
    assert cash + kind == contribution
    assert kind <= in_kind
    assert cash >= contribution * share
    assert kind >= 0


def test_split_contribution_keeps_the_plans_in_kind_when_cash_is_enough():
    assert split_contribution(120_000_000, 40_000_000, Decimal("0.5")) == (80_000_000,
                                                                           40_000_000)


def test_split_contribution_moves_in_kind_to_cash_below_the_minimum():
    assert split_contribution(120_000_000, 90_000_000, Decimal("0.5")) == (60_000_000,
                                                                           60_000_000)
    assert split_contribution(3, 3, Decimal("0.5")) == (2, 1)


def test_allocate_candidate_on_an_unknown_track_is_refused():
    track = TrackPlan(track_id=1, order=1, rules=TrackRules(shares=(ShareRule(NAT,
                                                                              Decimal("0.5")),)))
    with pytest.raises(ValueError, match="not one of the call's tracks"):
        allocate([track], {NAT: 10}, CUTOFF, [Candidate(7, 2, Decimal("80"), 1, 100)])


def test_inputs_hash_changes_with_any_input_or_the_rule_version():
    inputs = {"call": {"cutoff_score": "70.00"}, "candidates": [{"application_id": 1}]}
    assert inputs_hash(inputs) == inputs_hash({"candidates": [{"application_id": 1}],
                                               "call": {"cutoff_score": "70.00"}})
    assert inputs_hash(inputs) != inputs_hash({**inputs, "call": {"cutoff_score": "70.01"}})
    assert inputs_hash(inputs) != inputs_hash(inputs, "1999.1")


def test_rules_from_dict_round_trips_as_dict():
    rules = TrackRules(shares=(ShareRule(NAT, Decimal("0.5"), 200_000_000),
                               ShareRule(PROV, Decimal("0.2"), None)),
                       rounding_unit=1000, max_project_cost=400_000_000, total_cap=None)
    assert rules_from_dict(rules.as_dict()) == rules


# --- Exact figures for the demo calls (DOMAIN.md §2).

def demo_plans(code):
    call = Call.objects.get(code=code)
    tracks = {t.order: t for t in call.tracks.prefetch_related("shares")}
    plans = [TrackPlan(track_id=t.pk, order=t.order, rules=TrackRules.for_track(t),
                       target=t.target_count) for t in tracks.values()]
    budget = {line.source: line.amount for line in BudgetLine.objects.filter(call=call)}
    return call, tracks, plans, budget


def scored(track, count, cost, *, start=0, score=Decimal("85.00"), in_kind=0):
    return [Candidate(application_id=track.pk * 1000 + start + i, track_id=track.pk,
                      final_score=score - Decimal(i) / 100, rank=start + i + 1,
                      project_cost=cost, planned_in_kind=in_kind) for i in range(count)]


def test_allocate_jeonbuk_national_line_binds_before_the_advanced_target(demo):
    call, tracks, plans, budget = demo_plans("2025-JB")
    advanced, basic = tracks[1], tracks[2]
    candidates = (scored(advanced, 15, 400_000_000)
                  + scored(basic, 3, 100_000_000))
    result = allocate(plans, budget, call.cutoff_score, candidates,
                      min_cash_share=call.min_cash_share)

    adv = [line for line in result.lines if line.track_id == advanced.pk]
    assert [line.outcome for line in adv] == [Outcome.SELECTED] * 10 + [Outcome.WAITLISTED] * 5
    assert [line.waitlist_position for line in adv[10:]] == [1, 2, 3, 4, 5]
    assert adv[0].shares == {NAT: 200_000_000, PROV: 80_000_000}
    assert adv[0].support.contribution == 120_000_000
    assert (adv[0].contribution_cash, adv[0].contribution_in_kind) == (120_000_000, 0)
    # The 2,000,000,000 national line funds exactly 10 of the 20-company target.
    assert result.allocated == {NAT: 2_000_000_000, PROV: 800_000_000 + 3 * 30_000_000,
                                MUNI: 3 * 30_000_000}
    assert result.remaining == {NAT: 0, PROV: 1_460_000_000, MUNI: 2_260_000_000}
    bas = [line for line in result.lines if line.track_id == basic.pk]
    # Basic: 30% + 30% of 100,000,000 = 60,000,000, under the 70,000,000 total cap.
    assert [line.shares for line in bas] == [{PROV: 30_000_000, MUNI: 30_000_000}] * 3
    assert [line.outcome for line in bas] == [Outcome.SELECTED] * 3


def test_allocate_jeonbuk_basic_track_after_advanced_uses_what_the_province_has_left(demo):
    call, tracks, plans, budget = demo_plans("2025-JB")
    advanced, basic = tracks[1], tracks[2]
    # 10 advanced at 400,000,000 take 800,000,000 provincial; 20 basic applicants (target 15)
    # each get 30,000,000 + 30,000,000.
    candidates = scored(advanced, 10, 400_000_000) + scored(basic, 20, 150_000_000)
    result = allocate(plans, budget, call.cutoff_score, candidates)
    bas = [line for line in result.lines if line.track_id == basic.pk]
    assert [line.outcome for line in bas] == [Outcome.SELECTED] * 15 + [Outcome.WAITLISTED] * 5
    assert bas[0].support.eligible_cost == 100_000_000
    assert bas[0].support.contribution == 90_000_000
    assert result.allocated == {NAT: 2_000_000_000, PROV: 800_000_000 + 450_000_000,
                                MUNI: 450_000_000}


def test_allocate_gyeongbuk_advanced_then_basic_with_the_total_cap(demo):
    call, tracks, plans, budget = demo_plans("2025-GB")
    advanced, basic = tracks[1], tracks[2]
    candidates = (scored(advanced, 12, 300_000_000)
                  + scored(basic, 2, 100_000_000)
                  + scored(basic, 1, 100_000_000, start=2, score=Decimal("69.99")))
    result = allocate(plans, budget, call.cutoff_score, candidates)
    adv = [line for line in result.lines if line.track_id == advanced.pk]
    # 50% of 300,000,000 = 150,000,000 national; 15% + 15% = 45,000,000 each local line.
    assert adv[0].shares == {NAT: 150_000_000, PROV: 45_000_000, MUNI: 45_000_000}
    assert [line.outcome for line in adv] == [Outcome.SELECTED] * 10 + [Outcome.WAITLISTED] * 2
    bas = [line for line in result.lines if line.track_id == basic.pk]
    assert [line.outcome for line in bas] == [Outcome.SELECTED, Outcome.SELECTED,
                                              Outcome.NOT_SELECTED]
    assert bas[0].shares == {PROV: 30_000_000, MUNI: 30_000_000}
    assert result.allocated == {NAT: 1_500_000_000, PROV: 450_000_000 + 60_000_000,
                                MUNI: 450_000_000 + 60_000_000}


def test_allocate_jeonnam_robots_track_total_cap_takes_the_municipal_share_first(demo):
    call, tracks, plans, budget = demo_plans("2025-JN")
    robots = tracks[3]
    # 25% + 25% of 200,000,000 = 100,000,000: exactly the total cap.
    result = allocate(plans, budget, call.cutoff_score,
                      scored(robots, 6, 250_000_000, in_kind=80_000_000))
    assert [line.outcome for line in result.lines] == [Outcome.SELECTED] * 5 + \
        [Outcome.WAITLISTED]
    assert result.lines[0].shares == {PROV: 50_000_000, MUNI: 50_000_000}
    # Contribution 150,000,000: the plan's 80,000,000 in kind would leave less than the 50%
    # cash minimum, so 5,000,000 of it moves to cash.
    assert (result.lines[0].contribution_cash, result.lines[0].contribution_in_kind) == \
        (75_000_000, 75_000_000)


def test_allocate_cluster_call_is_bound_by_the_national_line_only(demo):
    call, tracks, plans, budget = demo_plans("2025-CL")
    member = tracks[1]
    # 50% capped at 40,000,000 each: 3,000,000,000 funds 75 companies; no target.
    result = allocate(plans, budget, call.cutoff_score, scored(member, 80, 100_000_000))
    outcomes = [line.outcome for line in result.lines]
    assert outcomes == [Outcome.SELECTED] * 75 + [Outcome.WAITLISTED] * 5
    assert result.allocated == {NAT: 3_000_000_000}


def test_allocate_cluster_call_support_is_per_member_company(demo):
    call, tracks, plans, budget = demo_plans("2025-CL")
    member = tracks[1]
    # Five members at 100,000,000: 50% is 50,000,000, capped at 40,000,000 each: 200,000,000 a
    # cluster. The 3,000,000,000 line funds 15 such clusters.
    clusters = [Candidate(application_id=500 + i, track_id=member.pk,
                          final_score=Decimal("90") - i, rank=i + 1,
                          project_cost=500_000_000, member_costs=(100_000_000,) * 5)
                for i in range(16)]
    # A small cluster: 30,000,000 each is 15,000,000 each, under the cap.
    small = Candidate(application_id=600, track_id=member.pk, final_score=Decimal("71"),
                      rank=17, project_cost=150_000_000, member_costs=(30_000_000,) * 5)
    result = allocate(plans, budget, call.cutoff_score, [*clusters, small])
    assert [line.outcome for line in result.lines] == [Outcome.SELECTED] * 15 + \
        [Outcome.WAITLISTED, Outcome.WAITLISTED]
    assert result.lines[0].shares == {NAT: 200_000_000}
    assert [m.shares for m in result.lines[0].members] == [{NAT: 40_000_000}] * 5
    assert result.lines[0].support.contribution == 300_000_000
    assert result.lines[16].shares == {NAT: 75_000_000}
    assert result.allocated == {NAT: 3_000_000_000}


def test_allocate_skips_a_candidate_that_does_not_fit_and_selects_the_next(demo):
    call, tracks, plans, budget = demo_plans("2025-JB")
    advanced = tracks[1]
    nine = scored(advanced, 9, 400_000_000)
    # With a 1,850,000,000 national line, nine advanced awards leave 50,000,000.
    big = Candidate(application_id=1, track_id=advanced.pk, final_score=Decimal("80"),
                    rank=10, project_cost=420_000_000)
    small = Candidate(application_id=2, track_id=advanced.pk, final_score=Decimal("79"),
                      rank=11, project_cost=100_000_000)
    budget = {**budget, NAT: 1_850_000_000}
    result = allocate(plans, budget, call.cutoff_score, [*nine, big, small])
    by_id = {line.application_id: line for line in result.lines}
    # 200,000,000 does not fit in the 50,000,000 left; the next one's 50,000,000 does.
    assert by_id[1].outcome == Outcome.WAITLISTED
    assert by_id[1].waitlist_position == 1
    assert by_id[2].outcome == Outcome.SELECTED
    assert by_id[2].shares == {NAT: 50_000_000, PROV: 20_000_000}
    assert result.remaining[NAT] == 0


def test_allocate_stored_inputs_give_the_same_lines():
    rules = TrackRules(shares=(ShareRule(NAT, Decimal("0.5"), 200_000_000),), rounding_unit=1000)
    inputs = {
        "call": {"cutoff_score": "70.00", "min_cash_share": "0.5000"},
        "tracks": [{"id": 5, "order": 1, "target": 2, "already_selected": 1,
                    "rules": rules.as_dict()}],
        "budget_lines": [{"source": NAT, "amount": 1_000_000_000, "committed": 100_000_000}],
        "candidates": [
            {"application_id": 9, "track_id": 5, "final_score": "88.50", "rank": 1,
             "project_cost": 123_456_789, "planned_in_kind": 10_000_000},
            {"application_id": 8, "track_id": 5, "final_score": "71.00", "rank": 2,
             "project_cost": 10_000_000, "planned_in_kind": 0},
        ],
    }
    result = allocate_stored(inputs)
    assert [(line.application_id, line.outcome, line.shares) for line in result.lines] == [
        (9, Outcome.SELECTED, {NAT: 61_728_000}),
        (8, Outcome.WAITLISTED, {NAT: 5_000_000}),
    ]
    assert result.budget == {NAT: 900_000_000}
    assert (result.lines[0].contribution_cash, result.lines[0].contribution_in_kind) == \
        (51_728_789, 10_000_000)
