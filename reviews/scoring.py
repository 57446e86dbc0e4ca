"""The arithmetic of DOMAIN.md §5 on plain values: no model, no query.

- An application's *base* is the mean of its reviewers' totals, dropping one highest and one
  lowest total when ``TRIM_FROM`` (5) or more reviewers scored.
- Its *final score* is the base plus the verified bonus points, rounded half-up to two decimals.
  The unrounded mean is used, so one rounding happens; since bonus points have at most two
  decimals, rounding the base first gives the same figure (a test checks both agree).
- The *base score* shown and used for the first tie-break is the mean rounded the same way.
- Ranking within a track: final score descending, then base score descending, then the mean of
  every reviewer's points on the first criterion descending — the *exact* mean, as a fraction:
  rounded to two decimals, 20.444… (nine reviewers) and 20.4375 (eight) would both read 20.44
  and the earlier submission would win over the higher mean (issue 14, rule version 2025.2) —,
  then the earlier submission. Applications equal on all four share a rank (1, 1, 3).
"""

import statistics
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

TRIM_FROM = 5
TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0")


def round_half_up(value: Decimal) -> Decimal:
    """Two decimals, halves away from zero: 70.125 → 70.13 (not banker's 70.12)."""
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal]) -> Decimal:
    """The exact mean of Decimals (28 significant digits), unrounded."""
    values = list(values)
    if not values:
        raise ValueError("mean of no values")
    return sum(values, ZERO) / Decimal(len(values))


def exact_mean(values: Iterable[Decimal]) -> Fraction:
    """The mean as an exact fraction, for the tie-break on the first criterion. The Decimals
    are summed as Decimals — exact: points have one decimal, far from 28 significant digits —
    and the sum becomes one fraction (a fraction per value cost the award run a second at
    10,000 applications)."""
    values = list(values)
    if not values:
        raise ValueError("mean of no values")
    return Fraction(sum(values, ZERO)) / len(values)


def counted_totals(totals: Sequence[Decimal]) -> list[Decimal]:
    """The totals the mean is taken over: all of them, or without one highest and one lowest
    when ``TRIM_FROM`` or more reviewers scored. Sorted ascending."""
    ordered = sorted(totals)
    if len(ordered) >= TRIM_FROM:
        return ordered[1:-1]
    return ordered


def base_mean(totals: Sequence[Decimal]) -> Decimal:
    """The (trimmed) mean of the reviewer totals, unrounded."""
    return mean(counted_totals(totals))


def final_score(totals: Sequence[Decimal], bonus: Decimal = ZERO) -> Decimal:
    """Unrounded base plus verified bonus points, rounded half-up to two decimals."""
    return round_half_up(base_mean(totals) + bonus)


def round_score(totals: Sequence[Decimal]) -> Decimal:
    """One round's score of a call evaluated in rounds (DOMAIN.md §5.1): the §5 rule without
    bonus — the (trimmed) mean of the round's totals, rounded half-up to two decimals."""
    return round_half_up(base_mean(totals))


def weighted_mean(parts: Iterable[tuple[int, Decimal]]) -> Decimal:
    """The weighted mean of round scores, unrounded: ``parts`` are (weight in %, round score)
    of the rounds an application took. The weights of all a call's rounds add up to 100; an
    application exempt from a round has its other rounds' weights scaled up to 100."""
    parts = list(parts)
    weights = sum(weight for weight, _score in parts)
    if not parts or weights <= 0:
        raise ValueError("weighted mean of no rounds")
    return sum((Decimal(weight) * score for weight, score in parts), ZERO) / Decimal(weights)


def weighted_final(parts: Iterable[tuple[int, Decimal]], bonus: Decimal = ZERO) -> Decimal:
    """A call evaluated in rounds: the weighted sum of the round scores plus the verified
    bonus points, rounded half-up to two decimals once."""
    return round_half_up(weighted_mean(parts) + bonus)


def is_above_cutoff(score: Decimal, cutoff: Decimal) -> bool:
    """At or above the cut-off: 70.00 passes a 70.00 cut-off, 69.99 does not."""
    return score >= cutoff


def ranking_key(final: Decimal, base: Decimal, first_criterion_mean: Fraction | Decimal,
                submitted_at: datetime | None) -> tuple:
    """Sort key for one application within its track: the smallest key ranks first.
    ``first_criterion_mean`` is the exact mean (``exact_mean``), never a rounded one — or the
    exact means of a whole call scaled alike to integers (``selectors.call_scores``)."""
    return (-final, -base, -first_criterion_mean,
            submitted_at.timestamp() if submitted_at else float("inf"))


def competition_ranks(keys: Sequence[tuple]) -> list[int]:
    """1-based ranks of ``keys`` already sorted ascending; equal keys share a rank (1, 1, 3)."""
    ranks = []
    for position, key in enumerate(keys, start=1):
        if ranks and key == keys[position - 2]:
            ranks.append(ranks[-1])
        else:
            ranks.append(position)
    return ranks


def rank_tracks(by_track: Mapping) -> Iterator[tuple[int, object]]:
    """``(rank, payload)`` of every entry of ``by_track`` (track sort key → [(ranking key,
    application id, payload)]), tracks in order and, within each, by key then id; equal keys
    share a rank (``competition_ranks``)."""
    for track in sorted(by_track):
        entries = sorted(by_track[track], key=lambda entry: (entry[0], entry[1]))
        ranks = competition_ranks([key for key, _id, _payload in entries])
        for rank, (_key, _id, payload) in zip(ranks, entries, strict=True):
            yield rank, payload


@dataclass(frozen=True)
class Spread:
    """How far apart the reviewers are, for staff: over every total, none dropped."""

    mean: Decimal
    median: Decimal
    stdev: Decimal  # population standard deviation


def spread(totals: Sequence[Decimal]) -> Spread | None:
    if not totals:
        return None
    return Spread(
        mean=round_half_up(mean(totals)),
        median=round_half_up(statistics.median(totals)),
        stdev=round_half_up(statistics.pstdev(totals)),
    )
