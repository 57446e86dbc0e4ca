"""Stability of each decision at the funding line (DOMAIN.md §5.1), on plain values.

For every reviewer of the run's scored applications, the whole allocation is computed again
without that reviewer's reviews (leave one reviewer out): the applications they reviewed get
their §5 scores again (``reviews.scoring``: trimmed mean, bonus, one rounding, the exact
tie-break) and every track is ranked and allocated again (``allocation.allocate``). An
application's stability is the share of these recomputations in which it keeps its outcome
(selected / waitlisted / not selected). An application left with no review in a
recomputation has no score there and counts as not selected.

Deterministic: reviewers in id order, the same key as the ranking. Cost: each application's
support is computed once (``candidate_support`` does not depend on the rank), a recomputation
rescores only the left-out reviewer's applications and re-sorts only their tracks, and the
greedy pass over the call is plain dictionary work on precomputed shares; the ranking keys are
plain numbers and a track is re-sorted as two sorted runs (Timsort merges them in one pass) —
so one recomputation is linear in the call's size and the whole is reviewers × applications.
"""

from __future__ import annotations

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


def _weighting(application: Scored):
    if application.earlier is None:
        return None
    return application.earlier, Decimal(application.weights), Decimal(application.weight)


def _allocate(tracks, budget, cutoff, ordered: Mapping[int, list], shares) -> dict[int, str]:
    """Outcome per application: ``allocation.allocate``'s greedy pass over tracks already
    ranked (``ordered``: track id → [(key, final, application id)] in rank order), with each
    application's non-zero funding shares given (``shares``: id → ((source, amount), …)).
    Applications without a score are absent."""
    remaining = dict(budget)
    outcomes = {}
    selected, waitlisted, not_selected = Outcome.SELECTED, Outcome.WAITLISTED, Outcome.NOT_SELECTED
    for track in tracks:
        places = track.open_places
        for _rank_key, final, application_id in ordered.get(track.track_id, ()):
            if final < cutoff:
                outcomes[application_id] = not_selected
                continue
            parts = shares[application_id]
            if (places is None or places > 0) and all(
                    amount <= remaining.get(source, 0) for source, amount in parts):
                outcomes[application_id] = selected
                for source, amount in parts:
                    remaining[source] -= amount
                if places is not None:
                    places -= 1
            else:
                outcomes[application_id] = waitlisted
    return outcomes


def _prepared(tracks, applications):
    """Tracks in order, the applications as a list and each one's non-zero funding shares
    (its support does not depend on its rank: computed once for every recomputation)."""
    tracks = sorted(tracks, key=lambda t: (t.order, t.track_id))
    plans = {t.track_id: t for t in tracks}
    applications = list(applications)
    shares = {a.application_id: tuple(
        (source, amount) for source, amount in
        candidate_support(plans[a.track_id].rules, a.candidate)[0].shares.items() if amount)
        for a in applications}
    return tracks, applications, shares


def _percentages(applications, kept, count) -> dict[int, Decimal]:
    count = Decimal(count)
    return {a.application_id: scoring.round_half_up(kept[a.application_id] * HUNDRED / count)
            for a in applications}


def stability(tracks: Iterable[TrackPlan], budget: Mapping[str, int], cutoff: Decimal,
              applications: Iterable[Scored], outcomes: Mapping[int, str]
              ) -> dict[int, Decimal]:
    """Percentage (two decimals) of leave-one-reviewer-out recomputations in which each
    application keeps ``outcomes`` (the full run's). 100.00 for every application when there
    is no reviewer to leave out."""
    tracks, applications, shares = _prepared(tracks, applications)
    by_id = {a.application_id: a for a in applications}
    full = {}
    ordered = defaultdict(list)
    by_reviewer = defaultdict(set)
    for application in applications:
        key, final = _key(application.reviews, application.bonus, application.submitted_at,
                          _weighting(application))
        full[application.application_id] = (key, final)
        ordered[application.track_id].append((key, final, application.application_id))
        for reviewer_id, _total, _first in application.reviews:
            by_reviewer[reviewer_id].add(application.application_id)
    for entries in ordered.values():
        entries.sort()  # (key, final, id): by key, then id as the ranking (final follows key)

    reviewers = sorted(by_reviewer)
    if not reviewers:
        return {a.application_id: HUNDRED.quantize(scoring.TWO_PLACES) for a in applications}
    kept = defaultdict(int)
    for reviewer_id in reviewers:
        touched = by_reviewer[reviewer_id]
        changed = {}
        for application_id in touched:
            application = by_id[application_id]
            rest = tuple(r for r in application.reviews if r[0] != reviewer_id)
            changed[application_id] = _key(rest, application.bonus, application.submitted_at,
                                           _weighting(application))
        this = dict(ordered)
        for track_id in {by_id[a].track_id for a in touched}:
            entries = [entry for entry in ordered[track_id] if entry[2] not in changed]
            moved = sorted((value[0], value[1], application_id)
                           for application_id, value in changed.items()
                           if value is not None and by_id[application_id].track_id == track_id)
            # Two sorted runs: Timsort merges them in one linear pass.
            entries.extend(moved)
            entries.sort()
            this[track_id] = entries
        result = _allocate(tracks, budget, cutoff, this, shares)
        for application in applications:
            outcome = result.get(application.application_id, Outcome.NOT_SELECTED)
            if outcome == outcomes[application.application_id]:
                kept[application.application_id] += 1
    return _percentages(applications, kept, len(reviewers))


class _Reviewer:
    """A reviewer's own scale and sums, computed once for every recomputation."""

    __slots__ = ("scale", "count", "total", "squares", "rescaled")

    def __init__(self, totals):
        values = [Fraction(total) for total in totals]
        self.count = len(values)
        self.total = sum(values, Fraction(0))
        self.squares = sum((value * value for value in values), Fraction(0))
        self.scale = fairness.scale(totals)
        self.rescaled = False


def _calibrated_keys(applications: list[Scored], reviewers: dict, left_out) -> dict[int, tuple]:
    """(ranking key, final) of each application by the calibrated score (DOMAIN.md §5.1),
    the committee recalibrated without ``left_out``'s reviews — the committee's mean and σ
    from its sums minus the reviewer's (``fairness.scale_from_sums``; every other reviewer's
    own scale is unchanged), each total rescaled as ``fairness.calibrated_total`` does and
    scored by the §5 rule as ``fairness.calibrated_score`` does (the same arithmetic at the
    same precision; a Hypothesis test compares them). The key orders as the calibrated
    ranking does (final, base, the exact mean of the first criterion, the earlier
    submission). An application left with no review has no key."""
    others = [r for pk, r in reviewers.items() if pk != left_out]
    committee = fairness.scale_from_sums(sum(r.count for r in others),
                                         sum((r.total for r in others), Fraction(0)),
                                         sum((r.squares for r in others), Fraction(0)))
    for reviewer in others:
        own = reviewer.scale
        reviewer.rescaled = (own.count >= fairness.CALIBRATION_MIN_REVIEWS
                             and own.exact_variance != 0
                             and (own.exact_mean, own.exact_variance)
                             != (committee.exact_mean, committee.exact_variance))
    keys = {}
    with localcontext() as context:
        # fairness.calibrated_total's and calibrated_score's arithmetic, each reviewer's
        # factor computed once per recomputation instead of once per total (the same
        # operations at the same precision: the same digits).
        context.prec = fairness.PRECISION
        factors = {pk: (r.scale.mean, committee.stdev / r.scale.stdev)
                   for pk, r in reviewers.items() if pk != left_out and r.rescaled}
        # No committee: the left-out reviewer gave every review, so no application has one.
        mean, trim_from = (committee.mean if committee else None), scoring.TRIM_FROM
        for a in applications:
            reviews = [review for review in a.reviews if review[0] != left_out]
            if not reviews:
                continue
            totals = []
            for reviewer_id, total, _first in reviews:
                factor = factors.get(reviewer_id)
                totals.append(Decimal(total) if factor is None
                              else mean + (Decimal(total) - factor[0]) * factor[1])
            totals.sort()
            if len(totals) >= trim_from:
                totals = totals[1:-1]
            base = sum(totals, scoring.ZERO) / Decimal(len(totals))
            final = scoring.round_half_up(base + a.bonus)
            base = scoring.round_half_up(base)
            first_tenths = int(sum((first for _r, _t, first in reviews), Decimal(0)) * 10)
            keys[a.application_id] = ((-int(final * 100), -int(base * 100),
                                       -(first_tenths / len(reviews)),
                                       a.submitted_at.timestamp() if a.submitted_at
                                       else float("inf")), final)
    return keys


def calibrated_stability(tracks: Iterable[TrackPlan], budget: Mapping[str, int],
                         cutoff: Decimal, applications: Iterable[Scored],
                         outcomes: Mapping[int, str]) -> dict[int, Decimal]:
    """``stability`` for a run allocated by the calibrated score: in each leave-one-reviewer-
    out recomputation the whole committee is recalibrated (leaving a reviewer out changes the
    committee's mean and σ, so every calibrated total moves), every track re-ranked and the
    call allocated again. Reviewers × (reviews + applications): each recomputation is linear
    in the call's size, but it cannot be limited to the left-out reviewer's applications as the
    rule score's can."""
    tracks, applications, shares = _prepared(tracks, applications)
    given = defaultdict(list)
    for a in applications:
        for reviewer_id, total, _first in a.reviews:
            given[reviewer_id].append(Decimal(total))
    reviewers = {pk: _Reviewer(totals) for pk, totals in sorted(given.items())}
    if not reviewers:
        return {a.application_id: HUNDRED.quantize(scoring.TWO_PLACES) for a in applications}
    kept = defaultdict(int)
    for reviewer_id in reviewers:
        keys = _calibrated_keys(applications, reviewers, reviewer_id)
        ordered = defaultdict(list)
        for a in applications:
            if a.application_id in keys:
                key, final = keys[a.application_id]
                ordered[a.track_id].append((key, final, a.application_id))
        for entries in ordered.values():
            entries.sort()
        result = _allocate(tracks, budget, cutoff, ordered, shares)
        for a in applications:
            if result.get(a.application_id, Outcome.NOT_SELECTED) == outcomes[a.application_id]:
                kept[a.application_id] += 1
    return _percentages(applications, kept, len(reviewers))
