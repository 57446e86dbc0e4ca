from decimal import Decimal

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from applications.checks import Problem, budget_problems, minimum_cash
from programs.money import ShareRule, TrackRules, compute_support

BASIC = TrackRules(shares=(ShareRule("provincial", Decimal("0.30")),
                           ShareRule("municipal", Decimal("0.30"))),
                   rounding_unit=1000, max_project_cost=100_000_000, total_cap=70_000_000)


def costs(software=0, hardware=0, consulting=0, other=0):
    return {"cost_software": software, "cost_hardware": hardware,
            "cost_consulting": consulting, "cost_other": other}


def test_minimum_cash_rounds_up_to_the_won():
    assert minimum_cash(36_000_001, Decimal("0.5")) == 18_000_001


def test_budget_problems_none_for_a_consistent_split():
    # 90,000,000 → support 54,000,000 → contribution 36,000,000.
    assert budget_problems(costs(50_000_000, 30_000_000, 10_000_000), 18_000_000, 18_000_000,
                           rules=BASIC, min_cash_share=Decimal("0.5")) == []


def test_budget_problems_total_zero_refused():
    with translation.override("en"):
        problems = budget_problems(costs(), 0, 0, rules=BASIC, min_cash_share=Decimal("0.5"))
    assert problems == [Problem(None, "The total project cost must be more than 0 "
                                "won: enter the cost of at least one item.")]


def test_budget_problems_split_not_adding_up_names_the_figures():
    with translation.override("en"):
        problems = budget_problems(costs(50_000_000, 30_000_000, 10_000_000), 20_000_000,
                                   10_000_000, rules=BASIC, min_cash_share=Decimal("0.5"))
    assert problems == [Problem(
        "contribution_in_kind",
        "Cash and in-kind must add up to the company contribution of KRW 36,000,000 (total "
        "cost KRW 90,000,000 − support KRW 54,000,000); they add up to KRW 30,000,000.")]


def test_budget_problems_too_little_cash():
    with translation.override("en"):
        problems = budget_problems(costs(50_000_000, 30_000_000, 10_000_000), 17_999_000,
                                   18_001_000, rules=BASIC, min_cash_share=Decimal("0.5"))
    assert problems == [Problem(
        "contribution_cash",
        "At least 50% of the company contribution must be paid in cash: at least "
        "KRW 18,000,000.")]


def test_budget_problems_cap_applies_above_max_project_cost():
    # 150,000,000: eligible 100,000,000 → 30,000,000 + 30,000,000 = 60,000,000 support.
    assert budget_problems(costs(150_000_000), 90_000_000, 0, rules=BASIC,
                           min_cash_share=Decimal("0.5")) == []


@given(total=st.integers(min_value=1, max_value=1_000_000_000_000),
       share=st.decimals(min_value=0, max_value=1, places=4))
def test_budget_problems_accept_the_least_cash_split(total, share):
    """Whatever the cost and the call's share, paying exactly the minimum in cash and the rest
    in kind passes; a won less in cash does not (when the minimum is above 0)."""
    contribution = compute_support(BASIC, total).contribution
    least = minimum_cash(contribution, share)
    assert budget_problems(costs(total), least, contribution - least, rules=BASIC,
                           min_cash_share=share) == []
    if least > 0:
        fields = [p.field for p in budget_problems(costs(total), least - 1,
                                                   contribution - least + 1, rules=BASIC,
                                                   min_cash_share=share)]
        assert fields == ["contribution_cash"]
