"""Reads of the reviews app that span relations: aggregation and ranking, queues, the matrix.

``call_scores`` is the interface the awards computation uses; the arithmetic itself is in
``reviews.scoring`` so that it can be tested on plain values.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from applications.models import Application, BonusClaim
from programs.models import Call, Criterion, EvaluationRound

from . import scoring
from .models import Assignment


@dataclass(frozen=True)
class ApplicationScore:
    application_id: int
    track_id: int
    reviewer_count: int          # submitted reviews counted
    totals: tuple[Decimal, ...]  # each reviewer's total, sorted ascending
    base_score: Decimal          # mean of totals, dropping one highest and one lowest when >= 5
    bonus: Decimal               # sum of points of BonusClaims with verified=True
    final_score: Decimal         # base (unrounded mean) + bonus, rounded half-up to 2 dp
    first_criterion_mean: Decimal  # mean of ALL reviewers' scores on the first criterion
    submitted_at: datetime       # Application.submitted_at (last tie-break: earlier first)
    rank: int                    # 1-based rank within its track
    above_cutoff: bool           # final_score >= call.cutoff_score


def scoring_round(call: Call) -> EvaluationRound | None:
    """The round whose scores rank a call: its first round (the document review)."""
    return EvaluationRound.objects.filter(call=call).order_by("order", "pk").first()


def first_criterion(evaluation_round: EvaluationRound) -> Criterion | None:
    return evaluation_round.criteria.order_by("order", "pk").first()


def submitted_review_totals(evaluation_round: EvaluationRound, first: Criterion | None, *,
                            applications=None, statuses=None):
    """One row per submitted, counted review of the round: its application, the application's
    track, track order and submission time, the review's total and first-criterion points."""
    reviews = Assignment.objects.counting().submitted().filter(round=evaluation_round)
    if applications is not None:
        reviews = reviews.filter(application__in=applications)
    if statuses is not None:
        reviews = reviews.filter(application__status__in=list(statuses))
    first_filter = Q(scores__criterion=first) if first else Q(pk__in=[])
    return (
        reviews.order_by()
        .values("pk", "application_id", "application__track_id", "application__track__order",
                "application__submitted_at")
        .annotate(total=Coalesce(Sum("scores__points"), Decimal("0")),
                  first=Coalesce(Sum("scores__points", filter=first_filter), Decimal("0")))
    )


def verified_bonus(call: Call) -> dict[int, Decimal]:
    """Verified bonus points per application of ``call``."""
    rows = (BonusClaim.objects.filter(application__call=call, verified=True).order_by()
            .values("application_id").annotate(points=Sum("bonus_item__points")))
    return {row["application_id"]: row["points"] for row in rows}


def call_scores(call, *, statuses=None, evaluation_round=None) -> list[ApplicationScore]:
    """Scores of the call's applications that have submitted reviews, ordered by track order,
    then rank.

    ``statuses`` limits the applications (and so the ranking) to those statuses.
    ``evaluation_round`` defaults to the call's first round. Four queries, however many
    applications.
    """
    evaluation_round = evaluation_round or scoring_round(call)
    if evaluation_round is None:
        return []
    first = first_criterion(evaluation_round)
    per_application = defaultdict(list)
    facts = {}
    for row in submitted_review_totals(evaluation_round, first, statuses=statuses):
        application_id = row["application_id"]
        per_application[application_id].append((Decimal(row["total"]), Decimal(row["first"])))
        facts[application_id] = (row["application__track_id"], row["application__track__order"],
                                 row["application__submitted_at"])
    bonuses = verified_bonus(call) if per_application else {}

    by_track = defaultdict(list)
    for application_id, reviews in per_application.items():
        totals = tuple(sorted(total for total, _first in reviews))
        bonus = Decimal(bonuses.get(application_id) or 0)
        base = scoring.base_mean(totals)
        final = scoring.round_half_up(base + bonus)
        base_score = scoring.round_half_up(base)
        first_mean = scoring.round_half_up(scoring.mean(first for _total, first in reviews))
        track_id, track_order, submitted_at = facts[application_id]
        key = scoring.ranking_key(final, base_score, first_mean, submitted_at)
        by_track[(track_order, track_id)].append((key, application_id, dict(
            application_id=application_id, track_id=track_id, reviewer_count=len(totals),
            totals=totals, base_score=base_score, bonus=bonus, final_score=final,
            first_criterion_mean=first_mean, submitted_at=submitted_at,
            above_cutoff=scoring.is_above_cutoff(final, call.cutoff_score))))

    results = []
    for track in sorted(by_track):
        entries = sorted(by_track[track], key=lambda entry: (entry[0], entry[1]))
        ranks = scoring.competition_ranks([key for key, _id, _fields in entries])
        results.extend(ApplicationScore(rank=rank, **fields)
                       for rank, (_key, _id, fields) in zip(ranks, entries, strict=True))
    return results


# --- Conflicts of interest ----------------------------------------------------------------

def conflict_numbers(applications) -> dict[int, set[str]]:
    """The registration numbers a reviewer's organisation must not have, per application:
    the company's and its supplier's (from the pool or typed into the plan)."""
    rows = (Application.objects.filter(pk__in=[a.pk for a in applications]).order_by()
            .values("pk", "company__registration_number", "plan__supplier__registration_number",
                    "plan__supplier_registration_number"))
    return {
        row["pk"]: {number for number in (row["company__registration_number"],
                                          row["plan__supplier__registration_number"],
                                          row["plan__supplier_registration_number"]) if number}
        for row in rows
    }


def parties(application) -> tuple[str, str, set[str]]:
    """Company name, supplier name and the conflicting numbers of one application (its company
    and plan with supplier loaded, or loaded here)."""
    numbers = {application.company.registration_number}
    supplier_name = ""
    try:
        plan = application.plan
    except ObjectDoesNotExist:
        plan = None
    if plan is not None:
        if plan.supplier_id:
            supplier_name = plan.supplier.name
            numbers.add(plan.supplier.registration_number)
        supplier_name = supplier_name or plan.supplier_name
        if plan.supplier_registration_number:
            numbers.add(plan.supplier_registration_number)
    return application.company.name, supplier_name, numbers


def has_automatic_conflict(assignment: Assignment) -> bool:
    """The reviewer's organisation is the company or its supplier (relations loaded)."""
    _company, _supplier, numbers = parties(assignment.application)
    return assignment.reviewer.organisation_registration_number in numbers


# --- The reviewer's pages -------------------------------------------------------------------

def reviewer_assignments(user):
    """The user's own assignments that staff have not released: the only ones it may open."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.active().filter(reviewer__user=user)


def reviewer_queue(user):
    """The reviewer's queue with what its rows show, in a fixed number of queries."""
    return (reviewer_assignments(user)
            .select_related("round", "round__call", "application", "application__company",
                            "application__track")
            .annotate(scored=Count("scores", filter=Q(scores__points__isnull=False)))
            .order_by("submitted_at", "round__call__code", "application__receipt_number", "pk"))


def assignment_for_reviewer(user, pk) -> Assignment:
    """One of the reviewer's assignments with the parties loaded (for the conflict checks);
    DoesNotExist for any other."""
    return (reviewer_assignments(user)
            .select_related("reviewer", "round", "round__call", "application",
                            "application__company", "application__call", "application__track",
                            "application__plan", "application__plan__supplier")
            .get(pk=pk))


def latest_plan_version(application):
    """The latest submitted version of the plan: the one reviewed."""
    return application.versions.order_by("-number").first()


def review_documents(application):
    return application.documents.select_related("document_type").order_by(
        "document_type__code", "-uploaded_at")
