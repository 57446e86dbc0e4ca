"""Reads of a call evaluated in rounds (DOMAIN.md §5.1): its rounds in order, each round's
committee and entrants, who passes on when a round closes (and the rule that decides each
case), and the final score — the weighted sum of the round scores plus the verified bonus.

A call with one round is scored exactly as ``selectors.call_scores`` always scored it:
``final_scores`` hands it over unchanged. The arithmetic is in ``reviews.scoring``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Q

from applications.models import Application
from programs.models import Call, EvaluationRound

from . import coreview, scoring
from .enums import PassRule
from .models import Assignment, ReviewerProfile, RoundExemption, RoundResult
from .selectors import REVIEWABLE_STATUSES, ApplicationScore, call_scores


def call_rounds(call) -> list[EvaluationRound]:
    """The call's rounds in order (one query)."""
    call_id = call.pk if isinstance(call, Call) else call
    return list(EvaluationRound.objects.filter(call_id=call_id).order_by("order", "pk"))


def neighbours(evaluation_round) -> tuple[EvaluationRound | None, EvaluationRound | None]:
    """(the round before, the round after) ``evaluation_round`` in its call (one query)."""
    rounds = call_rounds(evaluation_round.call_id)
    index = next(i for i, r in enumerate(rounds) if r.pk == evaluation_round.pk)
    return (rounds[index - 1] if index else None,
            rounds[index + 1] if index + 1 < len(rounds) else None)


def round_committee(evaluation_round):
    """Active reviewers of the round's committee: those named for the round, or, when no one
    is, the committee of its call (how every one-round call works). One query when read."""
    named = ReviewerProfile.rounds.through.objects.filter(
        evaluationround_id=evaluation_round.pk).values("reviewerprofile_id")
    of_call = ReviewerProfile.calls.through.objects.filter(
        call_id=evaluation_round.call_id).values("reviewerprofile_id")
    return ReviewerProfile.objects.filter(active=True).filter(
        Q(pk__in=named) | (Q(pk__in=of_call) & ~Exists(named)))


def entrants(evaluation_round, previous: EvaluationRound | None):
    """The applications that take part in the round: in the first round those screened
    eligible or further (or already assigned); in a later one those who passed the one
    before."""
    if previous is not None:
        passed = RoundResult.objects.filter(round=previous, passed=True).values("application_id")
        return Application.objects.filter(pk__in=passed)
    assigned = Assignment.objects.filter(round=evaluation_round).values("application_id")
    return Application.objects.filter(call_id=evaluation_round.call_id).filter(
        Q(status__in=REVIEWABLE_STATUSES) | Q(pk__in=assigned))


def exempt_ids(evaluation_round) -> set[int]:
    return set(RoundExemption.objects.filter(round=evaluation_round)
               .values_list("application_id", flat=True))


@dataclass(frozen=True)
class PassDecision:
    """Whether one application passes on when its round closes, and why."""

    application_id: int
    receipt_number: str
    company: str
    track_id: int
    track: str
    status: str
    score: Decimal | None
    rank: int | None
    places: int | None
    passed: bool
    rule: str  # PassRule

    @property
    def rule_label(self):
        return PassRule(self.rule).label


@dataclass(frozen=True)
class PassOn:
    """The round's decisions, what still stops it from closing, and its counts."""

    decisions: list[PassDecision]
    waiting: int      # entrants still under review (reviews not all in)
    unassigned: int   # entrants with no reviewer and no exemption

    @property
    def passing(self) -> int:
        return sum(d.passed for d in self.decisions)


def places_passing(evaluation_round, target: int | None) -> int | None:
    """The pass multiple times the track's target, rounded down; None without a multiple."""
    if evaluation_round.pass_multiple is None or target is None:
        return None
    return int(evaluation_round.pass_multiple * target)


def decide(evaluation_round, score: Decimal | None, rank: int | None, places: int | None,
           exempt: bool) -> tuple[bool, str]:
    """(passes on, the rule that decided): an exemption passes; no score fails; then the pass
    mark, then the places within the multiple of the target; no rule at all passes."""
    if exempt:
        return True, PassRule.EXEMPT
    if score is None:
        return False, PassRule.NOT_SCORED
    if evaluation_round.pass_mark is not None and score < evaluation_round.pass_mark:
        return False, PassRule.BELOW_MARK
    if places is not None and rank > places:
        return False, PassRule.BEYOND_PLACES
    if evaluation_round.pass_mark is None and evaluation_round.pass_multiple is None:
        return True, PassRule.NO_RULE
    return True, PassRule.MET


def pass_on(evaluation_round, previous: EvaluationRound | None = None) -> PassOn:
    """Who passes on if the round closes now. Each entrant's round score is the §5 rule on
    the round's reviews without bonus (``scoring.round_score``); the rank within the track
    orders by it, then by the exact first-criterion mean, then by the earlier submission
    (ties share a rank, and so pass together). Four queries."""
    rows = list(entrants(evaluation_round, previous).select_related("company", "track")
                .order_by("track__order", "receipt_number", "pk"))
    exempt = exempt_ids(evaluation_round)
    scores = {s.application_id: s for s in call_scores(
        evaluation_round.call, evaluation_round=evaluation_round)} if rows else {}
    by_track = defaultdict(list)
    for application in rows:
        score = scores.get(application.pk)
        if score is None or application.pk in exempt:
            continue
        round_score = scoring.round_score(score.totals)
        key = scoring.ranking_key(round_score, round_score, score.first_criterion_exact,
                                  score.submitted_at)
        by_track[application.track_id].append((key, application.pk))
    ranks = {}
    for entries in by_track.values():
        entries.sort()
        for rank, (_key, application_id) in zip(
                scoring.competition_ranks([key for key, _id in entries]), entries, strict=True):
            ranks[application_id] = rank
    decisions = []
    waiting = unassigned = 0
    for application in rows:
        is_exempt = application.pk in exempt
        score = scores.get(application.pk)
        round_score = scoring.round_score(score.totals) if score and not is_exempt else None
        places = places_passing(evaluation_round, application.track.target_count)
        passed, rule = decide(evaluation_round, round_score, ranks.get(application.pk), places,
                              is_exempt)
        if not is_exempt and application.status == "under_review":
            waiting += 1
        elif not is_exempt and application.status == "eligible" and score is None:
            unassigned += 1
        decisions.append(PassDecision(
            application_id=application.pk, receipt_number=application.receipt_number,
            company=application.company.name, track_id=application.track_id,
            track=application.track.name, status=application.status, score=round_score,
            rank=ranks.get(application.pk), places=places, passed=passed, rule=rule))
    return PassOn(decisions=decisions, waiting=waiting, unassigned=unassigned)


def stored_pass_on(evaluation_round) -> list[RoundResult]:
    """What closing the round decided, as stored (one query)."""
    return list(RoundResult.objects.filter(round=evaluation_round)
                .select_related("application", "application__company", "application__track")
                .order_by("application__track__order", "-passed", "rank",
                          "application__receipt_number", "pk"))


# --- The final score ----------------------------------------------------------------------

@dataclass(frozen=True)
class WeightedScore(ApplicationScore):
    """An application's score in a call evaluated in rounds: ``base_score`` is the weighted
    sum of its round scores, ``final_score`` that plus the bonus, rounded once; ``totals``,
    ``reviewer_count`` and the first-criterion mean are the last round's.
    ``round_scores``: ((round id, weight, round score or None when exempt), …) in order."""

    round_scores: tuple = field(default=(), compare=False)


def final_scores(call, *, statuses=None, rounds=None, reviews=None) -> list[ApplicationScore]:
    """The scores that rank and allocate the call, ordered by track order, then rank.

    One round: ``selectors.call_scores`` as it always was. More: the applications scored in
    the last round, each with the weighted sum of its round scores (the earlier rounds' as
    stored when they closed, the last round's by the §5 rule) plus its verified bonus,
    rounded half-up to two decimals once, ranked by that, the weighted base, the exact mean of
    the last round's first criterion and the earlier submission. ``reviews``: the last
    round's ``selectors.round_reviews`` with the same statuses, when the caller has them."""
    rounds = call_rounds(call) if rounds is None else rounds
    if not rounds:
        return []
    if len(rounds) == 1:
        return call_scores(call, statuses=statuses, evaluation_round=rounds[0], reviews=reviews)
    last = rounds[-1]
    earlier = {}
    for result in (RoundResult.objects.filter(round__in=rounds[:-1], score__isnull=False)
                   .order_by().values_list("application_id", "round_id", "score")):
        application_id, round_id, score = result
        earlier[(application_id, round_id)] = score
    track_orders = dict(call.tracks.order_by().values_list("pk", "order"))
    by_track = defaultdict(list)
    for score in call_scores(call, statuses=statuses, evaluation_round=last, reviews=reviews):
        last_score = scoring.round_score(score.totals)
        taken = []
        for evaluation_round in rounds[:-1]:
            value = earlier.get((score.application_id, evaluation_round.pk))
            taken.append((evaluation_round.pk, evaluation_round.weight, value))
        taken.append((last.pk, last.weight, last_score))
        parts = [(weight, value) for _pk, weight, value in taken if value is not None]
        weighted = scoring.weighted_mean(parts)
        final = scoring.round_half_up(weighted + score.bonus)
        base = scoring.round_half_up(weighted)
        key = scoring.ranking_key(final, base, score.first_criterion_exact, score.submitted_at)
        by_track[(track_orders.get(score.track_id, 0), score.track_id)].append(
            (key, score.application_id, dict(
                application_id=score.application_id, track_id=score.track_id,
                reviewer_count=score.reviewer_count, totals=score.totals, base_score=base,
                bonus=score.bonus, final_score=final,
                first_criterion_mean=score.first_criterion_mean,
                first_criterion_exact=score.first_criterion_exact,
                submitted_at=score.submitted_at,
                above_cutoff=scoring.is_above_cutoff(final, call.cutoff_score),
                round_scores=tuple(taken))))
    return [WeightedScore(rank=rank, **fields) for rank, fields in scoring.rank_tracks(by_track)]


# --- The co-review graph (issue 14 item 6) ---------------------------------------------------

@dataclass(frozen=True)
class CoReview:
    reviewers: int  # reviewers with a counting assignment in the round
    groups: int     # groups linked through shared applications

    @property
    def connected(self) -> bool:
        return self.groups <= 1


def co_review(evaluation_round) -> CoReview:
    """Whether the round's reviewers are all linked through chains of shared applications
    (counting assignments: not released, no conflict declared). One query."""
    pairs = (Assignment.objects.counting().filter(round=evaluation_round).order_by()
             .values_list("application_id", "reviewer_id"))
    groups = coreview.groups_of(pairs)
    return CoReview(reviewers=len(groups.parent), groups=groups.count())


# --- The round columns of the score exports (issue 14 item 8) --------------------------------

@dataclass(frozen=True)
class RoundColumns:
    """What a multi-round call's export adds to a round's matrix: each round's score, the
    weighted final score and rank (the last round), and whether the application passes on
    (a closed round) with the rule that decided. Empty for a one-round call."""

    header: list
    cells: object  # application id → list of cells


def round_columns(evaluation_round, labels) -> RoundColumns:
    """``labels``: (round score label for a round, weighted final, weighted rank, passes on,
    decided by, yes, no) — translated by the caller. Three queries, five more for the last round."""
    rounds = call_rounds(evaluation_round.call_id)
    if len(rounds) <= 1:
        return RoundColumns(header=[], cells=lambda _application_id: [])
    round_label, final_label, rank_label, passes_label, rule_label, yes, no = labels
    stored = defaultdict(dict)
    for result in RoundResult.objects.filter(round__in=rounds).order_by():
        stored[result.application_id][result.round_id] = result
    current = {s.application_id: s for s in call_scores(
        evaluation_round.call, evaluation_round=evaluation_round)}
    last = rounds[-1].pk == evaluation_round.pk
    weighted = ({s.application_id: s for s in final_scores(evaluation_round.call,
                                                           rounds=rounds)}
                if last else {})

    def cells(application_id):
        row = []
        for other in rounds:
            result = stored[application_id].get(other.pk)
            if result is not None:
                row.append(result.score if result.score is not None else "")
            elif other.pk == evaluation_round.pk and application_id in current:
                row.append(scoring.round_score(current[application_id].totals))
            else:
                row.append("")
        score = weighted.get(application_id)
        row += [score.final_score if score else "", score.rank if score else ""]
        result = stored[application_id].get(evaluation_round.pk)
        row += [(yes if result.passed else no) if result else "",
                str(result.get_rule_display()) if result else ""]
        return row

    header = [round_label % {"round": r.get_kind_display()} for r in rounds]
    header += [final_label, rank_label, passes_label, rule_label]
    return RoundColumns(header=header, cells=cells)
