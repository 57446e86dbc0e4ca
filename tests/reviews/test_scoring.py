from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reviews import scoring

D = Decimal
# A reviewer's total: 0 to 100 in half points.
totals_strategy = st.integers(min_value=0, max_value=200).map(lambda n: D(n) / 2)
bonus_strategy = st.integers(min_value=0, max_value=120).map(lambda n: D(n) / 10)


def test_round_half_up_rounds_a_half_away_from_zero():
    assert scoring.round_half_up(D("70.125")) == D("70.13")
    assert scoring.round_half_up(D("70.135")) == D("70.14")
    assert scoring.round_half_up(D("70.124999")) == D("70.12")


def test_counted_totals_keep_all_below_five_reviewers():
    assert scoring.counted_totals([D(80), D(70), D(90), D(60)]) == [D(60), D(70), D(80), D(90)]


def test_counted_totals_drop_one_highest_and_one_lowest_from_five_reviewers():
    totals = [D(92), D("55.5"), D(78), D("81.5"), D(70)]
    assert scoring.counted_totals(totals) == [D(70), D(78), D("81.5")]


def test_counted_totals_drop_only_one_of_equal_extremes():
    totals = [D(90), D(90), D(60), D(60), D(75)]
    assert scoring.counted_totals(totals) == [D(60), D(75), D(90)]


def test_final_score_three_reviewers_is_the_plain_mean():
    assert scoring.final_score([D(80), D(75), D(71)]) == D("75.33")


def test_final_score_five_reviewers_is_the_trimmed_mean():
    assert scoring.final_score([D(92), D("55.5"), D(78), D("81.5"), D(70)]) == D("76.50")


def test_final_score_adds_bonus_to_the_unrounded_mean():
    assert scoring.final_score([D(80), D(75), D(71)], D(6)) == D("81.33")
    assert scoring.final_score([D(70), D(70), D(70), D("70.5")], D(3)) == D("73.13")


def test_is_above_cutoff_at_exactly_seventy():
    score = scoring.final_score([D(70), D(70), D(70)])
    assert (score, scoring.is_above_cutoff(score, D("70.00"))) == (D("70.00"), True)


def test_is_above_cutoff_false_at_sixty_nine_ninety_nine():
    score = scoring.final_score([D("69.99"), D("69.99"), D("69.99")])
    assert (score, scoring.is_above_cutoff(score, D("70.00"))) == (D("69.99"), False)


def test_ranking_key_orders_by_final_then_base_then_first_criterion_then_submission():
    early = datetime(2025, 8, 1, 9, 0, tzinfo=UTC)
    late = early + timedelta(hours=1)
    keys = {
        "higher final": scoring.ranking_key(D("81.00"), D("78.00"), D("20.00"), late),
        "higher base": scoring.ranking_key(D("80.00"), D("80.00"), D("20.00"), late),
        "higher first criterion": scoring.ranking_key(D("80.00"), D("77.00"), D("25.00"), late),
        "earlier": scoring.ranking_key(D("80.00"), D("77.00"), D("20.00"), early),
        "later": scoring.ranking_key(D("80.00"), D("77.00"), D("20.00"), late),
    }
    assert sorted(keys, key=keys.get) == ["higher final", "higher base",
                                          "higher first criterion", "earlier", "later"]


def test_competition_ranks_share_a_rank_for_equal_keys():
    assert scoring.competition_ranks([(1,), (2,), (2,), (3,)]) == [1, 2, 2, 4]


def test_spread_of_five_totals():
    result = scoring.spread([D(92), D("55.5"), D(78), D("81.5"), D(70)])
    assert result == scoring.Spread(mean=D("75.40"), median=D("78.00"), stdev=D("12.20"))


def test_spread_of_no_totals_is_none():
    assert scoring.spread([]) is None


@given(st.lists(totals_strategy, min_size=1, max_size=15))
def test_trimmed_mean_lies_between_the_lowest_and_highest_totals(totals):
    base = scoring.base_mean(totals)
    assert min(totals) <= base <= max(totals)
    assert min(totals) <= scoring.final_score(totals) <= max(totals)


@given(st.lists(totals_strategy, min_size=5, max_size=15))
def test_trimmed_mean_of_five_or_more_ignores_one_extreme_each_side(totals):
    ordered = sorted(totals)
    assert ordered[1] <= scoring.base_mean(totals) <= ordered[-2]


@given(st.lists(totals_strategy, min_size=1, max_size=15), bonus_strategy)
def test_rounding_the_base_before_the_bonus_gives_the_same_final_score(totals, bonus):
    base = scoring.base_mean(totals)
    assert scoring.final_score(totals, bonus) == scoring.round_half_up(base) + bonus


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=12))
def test_competition_ranks_start_at_one_and_never_decrease(keys):
    ranks = scoring.competition_ranks(sorted(keys))
    assert ranks[0] == 1
    assert all(a <= b for a, b in zip(ranks, ranks[1:], strict=False))
    assert all(rank <= position for position, rank in enumerate(ranks, start=1))
