"""Stability of each decision at the funding line (DOMAIN.md §5.1), on plain values.

For every reviewer of the run's scored applications, the whole allocation is computed again
without that reviewer's reviews (leave one reviewer out): the applications they reviewed get
their §5 scores again (``reviews.scoring``: trimmed mean, bonus, one rounding, the exact
tie-break) and every track is ranked and allocated again (``allocation.allocate``). An
application's stability is the share of these recomputations in which it keeps its outcome
(selected / waitlisted / not selected). An application left with no review in a
recomputation has no score there and counts as not selected.

Deterministic: reviewers in id order, the same key as the ranking. Cost: each application's
support is computed once (``candidate_support`` does not depend on the rank); a recomputation
rescores only the left-out reviewer's applications (integer keys) and merges them, lazily,
into their tracks' order; the greedy pass is plain dictionary work on precomputed shares and
stops in a track at the cut-off, when its places are filled or when a line cannot fund any of
its applications; and only the applications whose outcome can change are compared. So a
recomputation costs about the left-out reviewer's applications plus the prefix of each track
the pass reads — the whole about the number of reviews, not reviewers × applications (at
worst, with budgets that never run out, a pass reads every track to the cut-off).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, localcontext
from fractions import Fraction

from reviews import fairness, scoring

from .allocation import Candidate, TrackPlan, candidate_support
from .enums import Outcome

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Scored:
    """An application as the recomputation needs it."""

    application_id: int
    track_id: int
    reviews: tuple  # ((reviewer id, total, first-criterion points), ...)
    bonus: Decimal
    submitted_at: datetime | None
    candidate: Candidate  # costs (its rank and score are replaced in each recomputation)
    # A call evaluated in rounds (DOMAIN.md §5.1): the earlier rounds' scores are held as they
    # closed — ``earlier`` is the sum of their weight × score, ``weights`` the weights of every
    # round the application took and ``weight`` the last round's; only the last round's
    # reviewers are left out. None: a one-round call, scored as §5 says.
    earlier: Decimal | None = None
    weights: int = 0
    weight: int = 0


def _key(reviews, bonus, submitted_at, rounds=None):
    """(ranking key, final score) of some reviews, or None when there are none.

    The key orders as ``scoring.ranking_key`` does, in plain numbers so that a recomputation
    sorts fast: final and base in hundredths (both rounded half-up), the exact first-criterion
    mean as the double of (sum of tenths) / n — correctly rounded, so equal fractions give equal
    doubles and different ones (denominators of a committee's size) keep their order — then
    the submission time."""
    if not reviews:
        return None
    totals = [total for _r, total, _f in reviews]
    base = scoring.base_mean(totals)
    if rounds is not None:  # (earlier weight × score, all weights, the last round's weight)
        earlier, weights, weight = rounds
        base = (earlier + weight * scoring.round_score(totals)) / weights
    final = scoring.round_half_up(base + bonus)
    first_tenths = int(sum((first for _r, _t, first in reviews), Decimal(0)) * 10)
    key = (-int(final * 100), -int(scoring.round_half_up(base) * 100),
           -(first_tenths / len(reviews)),
           submitted_at.timestamp() if submitted_at else float("inf"))
    return key, final


def _tenths(application: Scored):
    """The application's reviews as ``(reviewer id, total, first-criterion points)`` in integer
    tenths and its bonus in integer hundredths, for ``_tenths_key``; None when the §5 rule
    must take the Decimal way (a call in rounds, a figure finer than a tenth, anything
    negative)."""
    if application.earlier is not None:
        return None
    bonus = application.bonus * 100
    if bonus != bonus.to_integral_value() or bonus < 0:
        return None
    reviews = []
    for reviewer_id, total, first in application.reviews:
        total, first = total * 10, first * 10
        if (total != total.to_integral_value() or first != first.to_integral_value()
                or total < 0 or first < 0):
            return None
        reviews.append((reviewer_id, int(total), int(first)))
    if len({reviewer_id for reviewer_id, _t, _f in reviews}) != len(reviews):
        return None  # one review per reviewer, as assignments are: ``_without_key`` counts on it
    return tuple(reviews), int(bonus)


def _tenths_key(reviews, bonus, moment):
    """``_key`` in integers: ``reviews`` in tenths (``_tenths``), ``bonus`` in hundredths,
    ``moment`` the submission's timestamp. The base in hundredths is 10 × sum / n, and a
    non-negative p / q rounded half-up is (2p + q) // 2q: the same figures as the Decimal
    arithmetic (a Hypothesis test compares them), ten times faster."""
    if not reviews:
        return None
    totals = [total for _r, total, _f in reviews]
    count, total = len(totals), sum(totals)
    if count >= scoring.TRIM_FROM:  # one highest and one lowest dropped
        count, total = count - 2, total - max(totals) - min(totals)
    final = (20 * total + 2 * bonus * count + count) // (2 * count)
    base = (20 * total + count) // (2 * count)
    first = sum(first for _r, _t, first in reviews)
    return (-final, -base, -(first / len(reviews)), moment), Decimal(final).scaleb(-2)


def _sums(reviews, bonus, moment) -> tuple:
    """What ``_without_key`` needs of an application's reviews in tenths (``_tenths``): the
    totals in order, their sum, the first-criterion sum, the count, the bonus, the moment."""
    totals = sorted(total for _r, total, _f in reviews)
    return (totals, sum(totals), sum(first for _r, _t, first in reviews), len(totals), bonus,
            moment)


def _without_key(sums: tuple, total: int, first: int):
    """``_tenths_key`` of an application's reviews but one — the review with ``total`` and
    ``first`` (tenths) — from its ``_sums`` in constant time: the sums less that review, and
    when five or more remain, less their highest and lowest (the ordered totals' ends, or the
    next one in when the review left out was an end)."""
    totals, total_sum, first_sum, count, bonus, moment = sums
    count -= 1
    if count == 0:
        return None
    kept, kept_first, counted = total_sum - total, first_sum - first, count
    if count >= scoring.TRIM_FROM:
        highest = totals[-2] if total == totals[-1] else totals[-1]
        lowest = totals[1] if total == totals[0] else totals[0]
        kept, counted = kept - highest - lowest, count - 2
    final = (20 * kept + 2 * bonus * counted + counted) // (2 * counted)
    base = (20 * kept + counted) // (2 * counted)
    return (-final, -base, -(kept_first / count), moment), Decimal(final).scaleb(-2)


def _weighting(application: Scored):
    if application.earlier is None:
        return None
    return application.earlier, Decimal(application.weights), Decimal(application.weight)


def _selected(tracks, budget, cutoff, ordered: Mapping[int, list], shares,
              floors: Mapping[int, dict]) -> set[int]:
    """The applications ``allocation.allocate``'s greedy pass selects over tracks already
    ranked (``ordered``: track id → [(key, final, application id)] in rank order, a list or
    an iterator), with each
    application's non-zero funding shares given (``shares``: id → ((source, amount), …)).
    The others' outcomes follow from their scores alone (``_outcome``), so the pass stops in a
    track at its first score below the cut-off (the ranking puts every lower one after it),
    when the track's places are filled, or when a line has less left than the smallest share
    every application of the track needs from it (``floors``: no one else can fit)."""
    remaining = dict(budget)
    chosen = set()
    for track in tracks:
        places = track.open_places
        floor = floors.get(track.track_id, {})
        if (places is not None and places <= 0) or any(
                remaining.get(source, 0) < least for source, least in floor.items()):
            continue
        for _rank_key, final, application_id in ordered.get(track.track_id, ()):
            if final < cutoff:
                break
            parts = shares[application_id]
            if all(amount <= remaining.get(source, 0) for source, amount in parts):
                chosen.add(application_id)
                for source, amount in parts:
                    remaining[source] -= amount
                if places is not None:
                    places -= 1
                    if places == 0:
                        break
                if any(remaining.get(source, 0) < least for source, least in floor.items()):
                    break
    return chosen


def _floors(applications, shares) -> dict[int, dict]:
    """Per track, the smallest share each funding source gives to every one of its
    applications (a source some application does not draw on has none)."""
    floors = {}
    for a in applications:
        parts = dict(shares[a.application_id])
        track = a.track_id
        if track not in floors:
            floors[track] = parts
            continue
        floor = floors[track]
        for source in list(floor):
            amount = parts.get(source)
            if amount is None:
                del floor[source]
            elif amount < floor[source]:
                floor[source] = amount
    return floors


def _outcome(application_id, value, chosen: set[int], cutoff) -> str:
    """An application's outcome in a recomputation: selected by the greedy pass, else
    waitlisted when its score (``value``: (key, final) or None without reviews) is at or above
    the cut-off, else not selected."""
    if application_id in chosen:
        return Outcome.SELECTED
    if value is not None and value[1] >= cutoff:
        return Outcome.WAITLISTED
    return Outcome.NOT_SELECTED


def _prepared(tracks, applications, shares=None):
    """Tracks in order, the applications as a list and each one's non-zero funding shares
    (its support does not depend on its rank: computed once for every recomputation, or
    given: ``shares_of`` the run's allocation)."""
    tracks = sorted(tracks, key=lambda t: (t.order, t.track_id))
    plans = {t.track_id: t for t in tracks}
    applications = list(applications)
    if shares is not None:
        return tracks, applications, shares
    shares = {a.application_id: tuple(
        (source, amount) for source, amount in
        candidate_support(plans[a.track_id].rules, a.candidate)[0].shares.items() if amount)
        for a in applications}
    return tracks, applications, shares


def shares_of(allocation) -> dict[int, tuple]:
    """Each application's non-zero funding shares as the run's allocation computed them
    (``candidate_support``, which the rank does not change): what the recomputations fit."""
    return {line.application_id: tuple((source, amount) for source, amount
                                       in line.support.shares.items() if amount)
            for line in allocation.lines}


def _percentages(applications, kept, count) -> dict[int, Decimal]:
    count = Decimal(count)
    return {a.application_id: scoring.round_half_up(kept[a.application_id] * HUNDRED / count)
            for a in applications}


def stability(tracks: Iterable[TrackPlan], budget: Mapping[str, int], cutoff: Decimal,
              applications: Iterable[Scored], outcomes: Mapping[int, str],
              shares: Mapping[int, tuple] | None = None) -> dict[int, Decimal]:
    """Percentage (two decimals) of leave-one-reviewer-out recomputations in which each
    application keeps ``outcomes`` (the full run's). 100.00 for every application when there
    is no reviewer to leave out.

    A recomputation changes the scores of the left-out reviewer's applications only, so only
    those, the ones either allocation selects and any whose run outcome is not what its score
    alone gives can change outcome: the others are not counted one by one."""
    tracks, applications, shares = _prepared(tracks, applications, shares)
    floors = _floors(applications, shares)
    by_id = {a.application_id: a for a in applications}
    fast = {a.application_id: _tenths(a) for a in applications}
    moments = {a.application_id: a.submitted_at.timestamp() if a.submitted_at
               else float("inf") for a in applications}

    sums = {}  # the applications keyed in integers: their _sums
    given = {}  # (reviewer id, application id) → the review's (total, first) in tenths

    def scored(application, left_out=None):
        pk = application.application_id
        if pk in sums:
            if left_out is None:
                return _tenths_key(fast[pk][0], fast[pk][1], moments[pk])
            return _without_key(sums[pk], *given[(left_out, pk)])
        reviews = application.reviews
        if left_out is not None:
            reviews = tuple(r for r in reviews if r[0] != left_out)
        return _key(reviews, application.bonus, application.submitted_at,
                    _weighting(application))

    full = {}
    ordered = defaultdict(list)
    by_reviewer = defaultdict(set)
    for application in applications:
        pk = application.application_id
        if fast[pk] is not None:
            reviews, bonus = fast[pk]
            sums[pk] = _sums(reviews, bonus, moments[pk])
            for reviewer_id, total, first in reviews:
                given[(reviewer_id, pk)] = (total, first)
        value = scored(application)
        full[pk] = value
        if value is not None:
            ordered[application.track_id].append((*value, pk))
        for reviewer_id, _total, _first in application.reviews:
            by_reviewer[reviewer_id].add(pk)
    for entries in ordered.values():
        entries.sort()  # (key, final, id): by key, then id as the ranking (final follows key)

    reviewers = sorted(by_reviewer)
    if not reviewers:
        return {a.application_id: HUNDRED.quantize(scoring.TWO_PLACES) for a in applications}
    # Checked in every recomputation: what the run selected, and any application whose run
    # outcome differs from what its score alone gives (none, when ``outcomes`` is the run's).
    always = {pk for pk, value in full.items()
              if outcomes[pk] == Outcome.SELECTED
              or _outcome(pk, value, set(), cutoff) != outcomes[pk]}
    lost = defaultdict(int)
    for reviewer_id in reviewers:
        touched = by_reviewer[reviewer_id]
        changed = {pk: scored(by_id[pk], reviewer_id) for pk in touched}
        this = dict(ordered)
        moved = defaultdict(list)
        for pk, value in changed.items():
            if value is not None:
                moved[by_id[pk].track_id].append((*value, pk))
        for track_id in {by_id[pk].track_id for pk in touched}:
            # The track's order without the rescored applications, merged with them rescored:
            # lazily, as the greedy pass usually stops long before the end of the track.
            this[track_id] = heapq.merge(
                (entry for entry in ordered[track_id] if entry[2] not in changed),
                sorted(moved[track_id]))
        chosen = _selected(tracks, budget, cutoff, this, shares, floors)
        for pk in touched | chosen | always:
            value = changed[pk] if pk in changed else full[pk]
            if _outcome(pk, value, chosen, cutoff) != outcomes[pk]:
                lost[pk] += 1
    kept = {a.application_id: len(reviewers) - lost[a.application_id] for a in applications}
    return _percentages(applications, kept, len(reviewers))


class _Reviewer:
    """A reviewer's own scale and sums, computed once for every recomputation."""

    __slots__ = ("scale", "count", "total", "squares", "rescaled", "eligible", "mean", "stdev")

    def __init__(self, totals):
        self.scale = fairness.scale(totals)
        # The sums follow from the scale's exact mean and variance (fractions).
        self.count = self.scale.count
        self.total = self.scale.exact_mean * self.count
        self.squares = (self.scale.exact_variance + self.scale.exact_mean ** 2) * self.count
        self.rescaled = False
        # Rescaled in every recomputation unless alike the committee, where rescaling gives
        # the same totals (committee mean + (total − mean) × 1): the doubles' way rescales
        # whoever is eligible.
        self.eligible = (self.count >= fairness.CALIBRATION_MIN_REVIEWS
                         and self.scale.exact_variance != 0)
        self.mean = float(self.scale.mean)
        self.stdev = float(self.scale.stdev)


def _committee_without(reviewers: dict, left_out) -> fairness.Scale | None:
    """The committee's scale without ``left_out``'s reviews, from its sums minus the
    reviewer's (``fairness.scale_from_sums``; every other reviewer's own scale is unchanged),
    and each remaining reviewer's ``rescaled`` as ``fairness.leniency`` decides it."""
    others = [r for pk, r in reviewers.items() if pk != left_out]
    committee = fairness.scale_from_sums(sum(r.count for r in others),
                                         sum((r.total for r in others), Fraction(0)),
                                         sum((r.squares for r in others), Fraction(0)))
    for reviewer in others:
        own = reviewer.scale
        reviewer.rescaled = (reviewer.eligible
                             and (own.exact_mean, own.exact_variance)
                             != (committee.exact_mean, committee.exact_variance))
    return committee


def _exact_factors(reviewers: dict, committee, left_out) -> dict:
    """Each rescaled reviewer's (mean, committee σ / own σ) in Decimals at
    ``fairness.PRECISION``, for ``_exact_key``."""
    with localcontext() as context:
        context.prec = fairness.PRECISION
        return {pk: (r.scale.mean, committee.stdev / r.scale.stdev)
                for pk, r in reviewers.items() if pk != left_out and r.rescaled}


def _exact_key(a: Scored, left_out, mean, factors):
    """(ranking key, final) of one application by the calibrated score, in Decimals at
    ``fairness.PRECISION`` (inside its local context): ``fairness.calibrated_total``'s and
    ``calibrated_score``'s arithmetic, each rescaled reviewer's factor (mean, committee σ /
    own σ) given once per recomputation. None without a review."""
    reviews = [review for review in a.reviews if review[0] != left_out]
    if not reviews:
        return None
    totals = []
    for reviewer_id, total, _first in reviews:
        factor = factors.get(reviewer_id)
        totals.append(Decimal(total) if factor is None
                      else mean + (Decimal(total) - factor[0]) * factor[1])
    totals.sort()
    if len(totals) >= scoring.TRIM_FROM:
        totals = totals[1:-1]
    base = sum(totals, scoring.ZERO) / Decimal(len(totals))
    final = scoring.round_half_up(base + a.bonus)
    base = scoring.round_half_up(base)
    first_tenths = int(sum((first for _r, _t, first in reviews), Decimal(0)) * 10)
    return ((-int(final * 100), -int(base * 100), -(first_tenths / len(reviews)),
             a.submitted_at.timestamp() if a.submitted_at else float("inf")), final)


def _calibrated_keys(applications: list[Scored], reviewers: dict, left_out) -> dict[int, tuple]:
    """(ranking key, final) of each application by the calibrated score (DOMAIN.md §5.1),
    the committee recalibrated without ``left_out``'s reviews, each total rescaled as
    ``fairness.calibrated_total`` does and scored by the §5 rule as
    ``fairness.calibrated_score`` does (the same arithmetic at the same precision; a
    Hypothesis test compares them). The key orders as the calibrated ranking does (final,
    base, the exact mean of the first criterion, the earlier submission). An application left
    with no review has no key. The reference for ``_Doubles``, which gives the same keys
    faster."""
    committee = _committee_without(reviewers, left_out)
    keys = {}
    factors = _exact_factors(reviewers, committee, left_out)
    with localcontext() as context:
        context.prec = fairness.PRECISION
        # No committee: the left-out reviewer gave every review, so no application has one.
        mean = committee.mean if committee else None
        for a in applications:
            value = _exact_key(a, left_out, mean, factors)
            if value is not None:
                keys[a.application_id] = value
    return keys


_MARGIN = 1e-6  # hundredths: far above a double's error on these figures, far below a gap


class _Doubles:
    """``_calibrated_keys`` in doubles, prepared once for every recomputation.

    A rescaled total is committee mean + committee σ × z, where z = (total − reviewer mean) /
    reviewer σ does not change when another reviewer is left out (their own scale stays); so
    an application whose reviewers are all rescaled has the trimmed mean committee mean +
    committee σ × (trimmed mean of its z), its z's mean computed once (σ > 0 keeps their
    order). The others, and the left-out reviewer's applications, rescale their totals again.
    A double's error on these figures is about 10⁻¹⁰ hundredths; wherever the base or final
    score lies within ``_MARGIN`` of a half hundredth (where the rounding could go either
    way: scores of unrescaled totals such as x.xx5 land exactly there), that application is
    computed by the Decimal arithmetic (``_exact_key``) instead. So the keys are exactly
    ``_calibrated_keys``' (a Hypothesis test compares them), about twenty times faster."""

    def __init__(self, applications: list[Scored], reviewers: dict):
        self.reviewers = reviewers
        self.decimals = {}  # hundredths → the Decimal score: a few thousand, made once
        self.rows = []
        for a in applications:
            reviews = tuple((reviewer_id, float(total), first)
                            for reviewer_id, total, first in a.reviews)
            reviewed_by = {pk for pk, _t, _f in reviews}
            z = None
            if reviews and all(reviewers[pk].eligible for pk in reviewed_by):
                z = sorted((total - reviewers[pk].mean) / reviewers[pk].stdev
                           for pk, total, _f in reviews)
                if len(z) >= scoring.TRIM_FROM:
                    z = z[1:-1]
                z = sum(z) / len(z)
            first = int(sum((first for _r, _t, first in a.reviews), Decimal(0)) * 10)
            self.rows.append((a, a.application_id, a.track_id, reviews, reviewed_by,
                              -(first / len(reviews)) if reviews else None, z, float(a.bonus),
                              a.submitted_at.timestamp() if a.submitted_at else float("inf")))

    def keys(self, left_out) -> dict[int, tuple]:
        """``_calibrated_keys``' dictionary: application id → (ranking key, final)."""
        by_track, _above = self.ranked(left_out, 0)
        return {pk: (key, final) for entries in by_track.values()
                for key, final, pk in entries}

    def ranked(self, left_out, lowest: int) -> tuple[dict[int, list], set[int]]:
        """Per track, ``(key, final, application id)`` of every application keeping a review
        without ``left_out`` (unordered), and the ids whose final score is at or above
        ``lowest`` hundredths (the cut-off)."""
        reviewers = self.reviewers
        by_track = defaultdict(list)
        above = set()
        committee = _committee_without(reviewers, left_out)
        if committee is None:
            return by_track, above
        mean, stdev = float(committee.mean), float(committee.stdev)
        rescaled = {pk: (r.mean, stdev / r.stdev) for pk, r in reviewers.items()
                    if pk != left_out and r.eligible}
        trim_from, edge, decimals = scoring.TRIM_FROM, 0.5 - _MARGIN, self.decimals
        exact = None
        for a, pk, track_id, reviews, reviewed_by, first_key, z, bonus, moment in self.rows:
            if z is not None and left_out not in reviewed_by:
                base = mean + stdev * z
            else:
                kept = [review for review in reviews if review[0] != left_out]
                if not kept:
                    continue
                count = len(kept)
                first_key = -(int(sum((f for _r, _t, f in kept), Decimal(0)) * 10) / count)
                totals = sorted(
                    total if (factor := rescaled.get(reviewer_id)) is None
                    else mean + (total - factor[0]) * factor[1]
                    for reviewer_id, total, _f in kept)
                if count >= trim_from:
                    totals = totals[1:-1]
                base = sum(totals) / len(totals)
            # The final and base scores rounded half-up to hundredths, inline (800,000 of
            # them at 10,000 applications × 40 reviewers); None where a double cannot decide
            # (within _MARGIN of a half hundredth, or negative: halves go away from zero).
            scaled = (base + bonus) * 100
            final_hundredths = int(scaled + 0.5)
            if scaled < 0 or abs(scaled - final_hundredths) > edge:
                final_hundredths = None
            scaled = base * 100
            base_hundredths = int(scaled + 0.5)
            if scaled < 0 or abs(scaled - base_hundredths) > edge:
                base_hundredths = None
            if final_hundredths is None or base_hundredths is None:
                if exact is None:
                    exact = _exact_factors(reviewers, committee, left_out)
                with localcontext() as context:
                    context.prec = fairness.PRECISION
                    key, final = _exact_key(a, left_out, committee.mean, exact)
            else:
                final = decimals.get(final_hundredths)
                if final is None:
                    final = decimals[final_hundredths] = Decimal(final_hundredths).scaleb(-2)
                key = (-final_hundredths, -base_hundredths, first_key, moment)
            by_track[track_id].append((key, final, pk))
            if key[0] <= -lowest:
                above.add(pk)
        return by_track, above


def _in_order(entries: list):
    """``entries`` in ascending order, lazily: a heap popped only as far as the greedy pass
    reads (it usually stops after the few that the budget funds), instead of a full sort."""
    heapq.heapify(entries)
    while entries:
        yield heapq.heappop(entries)


def calibrated_stability(tracks: Iterable[TrackPlan], budget: Mapping[str, int],
                         cutoff: Decimal, applications: Iterable[Scored],
                         outcomes: Mapping[int, str],
                         shares: Mapping[int, tuple] | None = None) -> dict[int, Decimal]:
    """``stability`` for a run allocated by the calibrated score: in each leave-one-reviewer-
    out recomputation the whole committee is recalibrated (leaving a reviewer out changes the
    committee's mean and σ, so every calibrated total moves), every track re-ranked and the
    call allocated again. Reviewers × applications: each recomputation is linear in the call's
    size and cannot be limited to the left-out reviewer's applications as the rule score's
    can; it is kept cheap by ``_Doubles`` (a multiply-add per application whose reviewers are
    all rescaled, the Decimals only at a rounding edge), by ranking each track lazily
    (``_in_order``: a heap popped as far as the greedy pass reads) and by comparing outcomes
    as sets."""
    tracks, applications, shares = _prepared(tracks, applications, shares)
    floors = _floors(applications, shares)
    given = defaultdict(list)
    for a in applications:
        for reviewer_id, total, _first in a.reviews:
            given[reviewer_id].append(Decimal(total))
    reviewers = {pk: _Reviewer(totals) for pk, totals in sorted(given.items())}
    if not reviewers:
        return {a.application_id: HUNDRED.quantize(scoring.TWO_PLACES) for a in applications}
    doubles = _Doubles(applications, reviewers)
    # The run's outcomes as sets: an application keeps its outcome in a recomputation unless it
    # is in exactly one of the run's and the recomputation's selected sets, or of their
    # waitlisted sets (the three outcomes partition the applications).
    selected = {pk for pk, outcome in outcomes.items() if outcome == Outcome.SELECTED}
    waitlisted = {pk for pk, outcome in outcomes.items() if outcome == Outcome.WAITLISTED}
    lowest = math.ceil(cutoff * 100)  # the cut-off in hundredths (a final score's unit)
    lost = defaultdict(int)
    for reviewer_id in reviewers:
        by_track, above = doubles.ranked(reviewer_id, lowest)
        ordered = {track_id: _in_order(entries) for track_id, entries in by_track.items()}
        chosen = _selected(tracks, budget, cutoff, ordered, shares, floors)
        for pk in (selected ^ chosen) | (waitlisted ^ (above - chosen)):
            lost[pk] += 1
    kept = {a.application_id: len(reviewers) - lost[a.application_id] for a in applications}
    return _percentages(applications, kept, len(reviewers))
