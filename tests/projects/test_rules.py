"""The pure rules of the post-award life cycle: promotion's waitlist-order greedy, the change
request rules and the agreement's money (Hypothesis where a property states the rule)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from programs.money import ShareRule, TrackRules
from projects.changes import ChangeLimits, add_months, change_refusals
from projects.enums import ChangeKind, ChangeRule
from projects.money import agreed_support, contribution_problems, minimum_cash, over_ceiling
from projects.promotion import Waitlisted, fits, promote

SOURCES = ("national", "provincial", "municipal")

shares_st = st.fixed_dictionaries({s: st.integers(0, 50) .map(lambda n: n * 1_000_000)
                                   for s in SOURCES})


@st.composite
def waitlists(draw):
    n = draw(st.integers(0, 12))
    positions = draw(st.permutations(list(range(1, n + 1))))
    return [Waitlisted(application_id=100 + i, waitlist_position=positions[i],
                       shares=draw(shares_st)) for i in range(n)]


free_st = st.fixed_dictionaries({s: st.integers(0, 200).map(lambda n: n * 1_000_000)
                                 for s in SOURCES})


def reference_greedy(candidates, free, places):
    """DOMAIN §9 read literally: walk the waitlist; take the first that fits; repeat on what
    is left with the rest of the list."""
    ordered = sorted(candidates, key=lambda c: c.waitlist_position)
    chosen = []
    left = dict(free)
    index = 0
    while index < len(ordered) and (places is None or len(chosen) < places):
        candidate = ordered[index]
        if all(candidate.shares[s] <= left[s] for s in SOURCES):
            chosen.append(candidate.application_id)
            left = {s: left[s] - candidate.shares[s] for s in SOURCES}
        index += 1
    return chosen


@settings(max_examples=300, deadline=None)
@given(waitlists(), free_st, st.one_of(st.none(), st.integers(0, 6)))
def test_promotion_is_the_waitlist_order_greedy(candidates, free, places):
    result = promote(candidates, free, places)
    assert result.promoted_ids == reference_greedy(candidates, free, places)
    # No line ever goes below zero, and what is left is exactly free less the promoted shares.
    for source in SOURCES:
        spent = sum(c.shares[source] for c in result.promoted)
        assert result.free_after[source] == free[source] - spent
        assert result.free_after[source] >= 0
    # Everyone is either promoted or still waitlisted, once.
    assert sorted(c.application_id for c in result.promoted + result.still_waitlisted) == \
        sorted(c.application_id for c in candidates)
    if places is not None:
        assert len(result.promoted) <= places


def test_promotion_skips_one_that_does_not_fit_and_tries_the_next():
    big = Waitlisted(1, 1, {"national": 200_000_000, "provincial": 80_000_000})
    small = Waitlisted(2, 2, {"provincial": 30_000_000, "municipal": 30_000_000})
    free = {"national": 150_000_000, "provincial": 100_000_000, "municipal": 30_000_000}
    result = promote([small, big], free)
    assert result.promoted_ids == [2]
    assert [c.application_id for c in result.still_waitlisted] == [1]
    assert result.free_after == {"national": 150_000_000, "provincial": 70_000_000,
                                 "municipal": 0}


def test_promotion_fills_only_the_places_left():
    a = Waitlisted(1, 1, {"provincial": 1})
    b = Waitlisted(2, 2, {"provincial": 1})
    assert promote([a, b], {"provincial": 10}, places=1).promoted_ids == [1]
    assert promote([a, b], {"provincial": 10}, places=0).promoted_ids == []


def test_fits_ignores_zero_shares_on_a_source_without_a_line():
    assert fits(Waitlisted(1, 1, {"national": 0, "provincial": 5}), {"provincial": 5}) is True
    assert fits(Waitlisted(1, 1, {"national": 1}), {"provincial": 5}) is False


# --- Change requests --------------------------------------------------------------------

END = date(2026, 6, 30)


def test_change_refused_when_filed_16_days_after_its_cause():
    refusals = change_refusals(ChangeKind.SUPPLIER, filed_on=date(2026, 3, 17),
                               cause_on=date(2026, 3, 1), period_end=END)
    assert [r.rule for r in refusals] == [ChangeRule.FILED_IN_TIME]


def test_change_accepted_when_filed_15_days_after_its_cause():
    assert change_refusals(ChangeKind.SUPPLIER, filed_on=date(2026, 3, 16),
                           cause_on=date(2026, 3, 1), period_end=END) == []


def test_change_refused_less_than_a_month_before_the_end():
    assert change_refusals(ChangeKind.COST, filed_on=date(2026, 5, 30),
                           cause_on=date(2026, 5, 29), period_end=END) == []
    refusals = change_refusals(ChangeKind.COST, filed_on=date(2026, 5, 31),
                               cause_on=date(2026, 5, 29), period_end=END)
    assert [r.rule for r in refusals] == [ChangeRule.BEFORE_END]


def test_second_extension_and_one_of_four_months_refused():
    refusals = change_refusals(ChangeKind.EXTENSION, filed_on=date(2026, 3, 2),
                               cause_on=date(2026, 3, 1), period_end=END,
                               extensions_so_far=1, extension_months=4)
    assert [r.rule for r in refusals] == [ChangeRule.ONE_EXTENSION,
                                          ChangeRule.EXTENSION_LENGTH]


def test_kpi_and_function_changes_always_refused():
    for kind, rule in ((ChangeKind.KPIS, ChangeRule.NO_KPI_CHANGE),
                       (ChangeKind.FUNCTIONS, ChangeRule.NO_FUNCTION_CHANGE)):
        refusals = change_refusals(kind, filed_on=date(2026, 3, 2), cause_on=date(2026, 3, 1),
                                   period_end=END)
        assert [r.rule for r in refusals] == [rule]


def test_cause_after_the_request_refused():
    refusals = change_refusals(ChangeKind.SCHEDULE, filed_on=date(2026, 3, 2),
                               cause_on=date(2026, 3, 3), period_end=END)
    assert [r.rule for r in refusals] == [ChangeRule.FILED_IN_TIME]


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
       st.integers(0, 40), st.integers(0, 400), st.integers(0, 2), st.integers(0, 5))
def test_extension_refusals_match_each_rule(filed_on, days_since_cause, days_to_end,
                                            extensions, months):
    cause_on = filed_on - timedelta(days=days_since_cause)
    period_end = filed_on + timedelta(days=days_to_end)
    rules = {r.rule for r in change_refusals(
        ChangeKind.EXTENSION, filed_on=filed_on, cause_on=cause_on, period_end=period_end,
        extensions_so_far=extensions, extension_months=months)}
    assert (ChangeRule.FILED_IN_TIME in rules) == (days_since_cause > 15)
    assert (ChangeRule.BEFORE_END in rules) == (filed_on > add_months(period_end, -1))
    assert (ChangeRule.ONE_EXTENSION in rules) == (extensions >= 1)
    assert (ChangeRule.EXTENSION_LENGTH in rules) == (not 1 <= months <= 3)


def test_limits_are_settings_not_constants():
    refusals = change_refusals(ChangeKind.EXTENSION, filed_on=date(2026, 3, 2),
                               cause_on=date(2026, 3, 1), period_end=END,
                               extension_months=4, limits=ChangeLimits(extension_months=6))
    assert refusals == []


def test_add_months_keeps_the_last_day_of_a_shorter_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), 2) == date(2026, 3, 15)


# --- The agreement's money --------------------------------------------------------------

ADVANCED = TrackRules(shares=(ShareRule("national", Decimal("0.5"), 200_000_000),
                              ShareRule("provincial", Decimal("0.2"), 80_000_000)),
                      max_project_cost=400_000_000)
AWARD = {"national": 150_000_000, "provincial": 60_000_000, "municipal": 0}


def test_support_at_the_award_cost_equals_the_award():
    support = agreed_support(ADVANCED, 300_000_000, AWARD)
    assert support.shares == {"national": 150_000_000, "provincial": 60_000_000,
                              "municipal": 0}
    assert support.contribution == 90_000_000
    assert support.held_at_ceiling is False


def test_support_never_exceeds_the_award_when_the_cost_rises():
    support = agreed_support(ADVANCED, 400_000_000, AWARD)
    assert support.computed == {"national": 200_000_000, "provincial": 80_000_000,
                                "municipal": 0}
    assert support.shares == AWARD
    assert support.held_at_ceiling is True
    assert support.contribution == 190_000_000


def test_support_falls_with_the_cost():
    assert agreed_support(ADVANCED, 200_000_000, AWARD).shares == {
        "national": 100_000_000, "provincial": 40_000_000, "municipal": 0}


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**10), free_st)
def test_agreed_support_is_the_money_rule_held_under_the_ceiling(cost, ceiling):
    support = agreed_support(ADVANCED, cost, ceiling)
    assert over_ceiling(support.shares, ceiling) == []
    for source in SOURCES:
        assert support.shares[source] == min(support.computed[source], ceiling[source])
    assert support.total + support.contribution == cost


def test_contribution_must_add_up_and_meet_the_cash_share():
    support = agreed_support(ADVANCED, 300_000_000, AWARD)  # contribution 90,000,000
    assert contribution_problems(support, cash=45_000_000, in_kind=45_000_000,
                                 min_cash_share=Decimal("0.5")) == {}
    problems = contribution_problems(support, cash=44_999_999, in_kind=45_000_001,
                                     min_cash_share=Decimal("0.5"))
    assert list(problems) == ["contribution_cash"]
    problems = contribution_problems(support, cash=50_000_000, in_kind=30_000_000,
                                     min_cash_share=Decimal("0.5"))
    assert list(problems) == ["contribution_in_kind"]


def test_minimum_cash_rounds_up():
    assert minimum_cash(90_000_001, Decimal("0.5")) == 45_000_001
    assert minimum_cash(0, Decimal("0.5")) == 0


def test_over_ceiling_names_the_source():
    assert over_ceiling({"national": 2, "provincial": 1}, {"national": 1, "provincial": 1}) \
        == ["national"]
