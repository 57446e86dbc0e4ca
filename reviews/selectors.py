"""Reads of the reviews app that span relations: aggregation and ranking, conflicts, queues,
the plan as a reviewer reads it, staff's progress pages (the score matrix: ``matrix.py``).

``call_scores`` is the interface the awards computation uses; the arithmetic itself is in
``reviews.scoring`` so that it can be tested on plain values.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from applications.enums import KPI_UNITS, ApplicationStatus, Kpi
from applications.models import Application, BonusClaim, BusinessPlan
from applications.selectors import cluster_of
from clusters.models import ClusterMember
from clusters.selectors import cluster_plan, cluster_version_documents, is_cluster_version
from programs.models import Call, Criterion, EvaluationRound

from . import scoring
from .enums import ConflictStatus, ScoreBasis
from .models import Assignment, CallScoring, ReviewerProfile, RoundTally, Score


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
    # The exact first-criterion mean the tie-break compares (first_criterion_mean is rounded
    # for display); not part of equality so that figures compare as they read.
    first_criterion_exact: Fraction | None = field(default=None, compare=False)


def scoring_round(call: Call) -> EvaluationRound | None:
    """The round whose scores rank a call: its first round (the document review)."""
    return EvaluationRound.objects.filter(call=call).order_by("order", "pk").first()


def score_basis(call) -> str:
    """Which score allocates the call's awards: ``ScoreBasis.RULE`` unless staff chose the
    calibrated score (``services.set_score_basis``). One query."""
    basis = CallScoring.objects.filter(call=call).values_list("basis", flat=True).first()
    return basis or ScoreBasis.RULE


def round_reviews(evaluation_round, *, statuses=None) -> list[tuple[int, int, Decimal, Decimal]]:
    """``(reviewer id, application id, total, first-criterion points)`` of every submitted,
    counted review of the round: what the round's scores, its fairness advice and the
    stability of an award run are computed from. One query."""
    first = (Criterion.objects.filter(round=evaluation_round).order_by("order", "pk")
             .values("pk")[:1])
    reviews = Assignment.objects.counting().submitted().filter(round=evaluation_round)
    if statuses is not None:
        reviews = reviews.filter(application__status__in=list(statuses))
    first_filter = Q(scores__criterion=Subquery(first))
    rows = (reviews.order_by().values("pk", "reviewer_id", "application_id")
            .annotate(total=Coalesce(Sum("scores__points"), Decimal("0")),
                      first=Coalesce(Sum("scores__points", filter=first_filter),
                                     Decimal("0")))
            .values_list("reviewer_id", "application_id", "total", "first"))
    return [(reviewer, application, Decimal(total), Decimal(first_points))
            for reviewer, application, total, first_points in rows]


def application_facts(call_id) -> dict[int, tuple]:
    """``(track id, track order, submission time)`` per application of the call: the ranking's
    other inputs, read once per application rather than once per review, and selected by the
    call rather than by a list of thousands of ids (which costs more to send and plan than to
    read)."""
    rows = (Application.objects.filter(call_id=call_id).order_by()
            .values_list("pk", "track_id", "track__order", "submitted_at"))
    return {pk: (track_id, order, submitted_at) for pk, track_id, order, submitted_at in rows}


def verified_bonus(call: Call) -> dict[int, Decimal]:
    """Verified bonus points per application of ``call``."""
    rows = (BonusClaim.objects.filter(application__call=call, verified=True).order_by()
            .values("application_id").annotate(points=Sum("bonus_item__points")))
    return {row["application_id"]: row["points"] for row in rows}


def call_scores(call, *, statuses=None, evaluation_round=None,
                reviews=None) -> list[ApplicationScore]:
    """Scores of the call's applications that have submitted reviews, ordered by track order,
    then rank.

    ``statuses`` limits the applications (and so the ranking) to those statuses.
    ``evaluation_round`` defaults to the call's first round. ``reviews``: the round's
    ``round_reviews`` with the same statuses when the caller has read them already (the award
    run reads them once for the scores and the stability). Four queries, however many
    applications (three with ``reviews``).
    """
    evaluation_round = evaluation_round or scoring_round(call)
    if evaluation_round is None:
        return []
    if reviews is None:
        reviews = round_reviews(evaluation_round, statuses=statuses)
    per_application = defaultdict(list)
    for _reviewer_id, application_id, total, first_points in reviews:
        per_application[application_id].append((total, first_points))
    facts = application_facts(evaluation_round.call_id) if per_application else {}
    bonuses = verified_bonus(call) if per_application else {}

    figures = []
    for application_id, reviews in per_application.items():
        totals = tuple(sorted(total for total, _first in reviews))
        bonus = Decimal(bonuses.get(application_id) or 0)
        base = scoring.base_mean(totals)
        firsts = sum((first for _total, first in reviews), scoring.ZERO)
        figures.append((application_id, totals, bonus, base, firsts,
                        Fraction(firsts) / len(totals)))  # scoring.exact_mean, summed once
    # The tie-break compares the exact first-criterion means; scaled by a common multiple of
    # their denominators they are integers in the same order (and equal where they are), which
    # sort without a fraction's arithmetic.
    common = math.lcm(*{exact.denominator for *_rest, exact in figures}) if figures else 1
    by_track = defaultdict(list)
    for application_id, totals, bonus, base, firsts, first_exact in figures:
        final = scoring.round_half_up(base + bonus)
        base_score = scoring.round_half_up(base)
        first_mean = scoring.round_half_up(firsts / Decimal(len(totals)))
        track_id, track_order, submitted_at = facts[application_id]
        scaled_first = first_exact.numerator * (common // first_exact.denominator)
        key = scoring.ranking_key(final, base_score, scaled_first, submitted_at)
        by_track[(track_order, track_id)].append((key, application_id, dict(
            application_id=application_id, track_id=track_id, reviewer_count=len(totals),
            totals=totals, base_score=base_score, bonus=bonus, final_score=final,
            first_criterion_mean=first_mean, first_criterion_exact=first_exact,
            submitted_at=submitted_at,
            above_cutoff=scoring.is_above_cutoff(final, call.cutoff_score))))

    return [ApplicationScore(rank=rank, **fields)
            for rank, fields in scoring.rank_tracks(by_track)]


# --- Conflicts of interest ----------------------------------------------------------------

def conflict_numbers(applications, *, scope=None) -> dict[int, set[str]]:
    """The registration numbers a reviewer's organisation must not have, per application:
    the company's and its supplier's (from the pool or typed into the plan); for a cluster's
    application also every member company's and the cluster's supplier's. Two queries.

    ``scope``, a queryset of the same applications, selects them by a subquery instead of a
    list of ids (thousands of them in an automatic assignment)."""
    ids = scope.values("pk") if scope is not None else [a.pk for a in applications]
    rows = (Application.objects.filter(pk__in=ids).order_by()
            .values("pk", "company__registration_number", "plan__supplier__registration_number",
                    "plan__supplier_registration_number"))
    numbers = {
        row["pk"]: {number for number in (row["company__registration_number"],
                                          row["plan__supplier__registration_number"],
                                          row["plan__supplier_registration_number"]) if number}
        for row in rows
    }
    members = (ClusterMember.objects.filter(cluster__application_id__in=ids,
                                            withdrawn_at__isnull=True).order_by()
               .values("cluster__application_id", "company__registration_number",
                       "cluster__supplier__registration_number",
                       "cluster__supplier_registration_number"))
    for row in members:
        numbers.setdefault(row["cluster__application_id"], set()).update(
            number for number in (row["company__registration_number"],
                                  row["cluster__supplier__registration_number"],
                                  row["cluster__supplier_registration_number"]) if number)
    return numbers


def parties(application) -> tuple[str, str, set[str]]:
    """Company name, supplier name and the conflicting numbers of one application (its company
    and plan with supplier loaded, or loaded here). For a cluster's application: every member
    company's name, lead first, and the cluster's supplier; the numbers of all of them.
    Computed once per application object."""
    cached = getattr(application, "_review_parties", None)
    if cached is not None:
        return cached
    cluster = cluster_of(application)
    result = (_cluster_parties(application, cluster) if cluster is not None
              else _company_parties(application))
    application._review_parties = result
    return result


def _cluster_parties(application, cluster) -> tuple[str, str, set[str]]:
    members = list(cluster.members.filter(withdrawn_at__isnull=True).select_related("company")
                   .order_by("role", "joined_at", "pk"))
    numbers = {application.company.registration_number}
    numbers.update(member.company.registration_number for member in members)
    supplier_name = cluster.supplier_name
    if cluster.supplier_id:
        supplier_name = cluster.supplier.name
        numbers.add(cluster.supplier.registration_number)
    if cluster.supplier_registration_number:
        numbers.add(cluster.supplier_registration_number)
    names = ", ".join(member.company.name for member in members) or application.company.name
    return names, supplier_name, numbers


def _company_parties(application) -> tuple[str, str, set[str]]:
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
    """The reviewer's organisation is the company or its supplier — for a cluster, any member
    company or the cluster's supplier (relations loaded)."""
    _company, _supplier, numbers = parties(assignment.application)
    return assignment.reviewer.organisation_registration_number in numbers


@dataclass(frozen=True)
class Unavailable:
    """A reviewer the replacement list leaves out, and why."""
    reviewer: ReviewerProfile
    reason: str


def replacement_candidates(assignment: Assignment):
    """Whom staff may choose to replace ``assignment``'s reviewer with, and who is left out.

    Eligible: an active reviewer not assigned to the application in this round, who has not
    declared a conflict on it and whose organisation is not the company or its supplier (for a
    cluster: any member or its supplier) — the rules ``services.assign_reviewer`` applies.
    Returns (a queryset of the eligible, ordered by name; the left-out reviewers with the
    reason, the reviewer being replaced first). Three queries."""
    application = assignment.application
    numbers = conflict_numbers([application])[application.pk]
    rows = (Assignment.objects.filter(round=assignment.round_id, application=application.pk)
            .exclude(pk=assignment.pk).filter(Q(released_at__isnull=True)
                                              | Q(conflict=ConflictStatus.DECLARED))
            .select_related("reviewer__user").order_by("reviewer__user__full_name", "pk"))
    left_out = [Unavailable(assignment.reviewer, _("the reviewer being replaced"))]
    for row in rows:
        left_out.append(Unavailable(row.reviewer, _("declared a conflict of interest on this "
                                                    "application")
                                    if row.conflict == ConflictStatus.DECLARED
                                    else _("already reviews this application")))
    excluded = {entry.reviewer.pk for entry in left_out}
    by_number = (ReviewerProfile.objects.filter(active=True,
                                                organisation_registration_number__in=numbers)
                 .exclude(pk__in=excluded).select_related("user")
                 .order_by("user__full_name", "pk"))
    left_out.extend(Unavailable(reviewer, _("their organisation is the company or its supplier"))
                    for reviewer in by_number)
    excluded.update(entry.reviewer.pk for entry in left_out)
    eligible = (ReviewerProfile.objects.filter(active=True).exclude(pk__in=excluded)
                .select_related("user").order_by("user__full_name", "pk"))
    return eligible, left_out


# --- The reviewer's pages -------------------------------------------------------------------

def reviewer_assignments(user):
    """The user's own assignments that staff have not released: the only ones it may open."""
    if not user.is_authenticated:
        return Assignment.objects.none()
    return Assignment.objects.active().filter(reviewer__user=user)


def reviewer_queue(user):
    """The reviewer's queue with what its rows show, in a fixed number of queries.

    The criteria scored are counted by a subquery per row rather than a join and GROUP BY over
    every assignment: the database sorts the queue and counts the scores of the rows of the
    page it returns only (a committee member may have thousands of assignments). An
    application the reviewer declared a conflict on leaves the queue at once, before staff
    release the reviewer."""
    scored = (Score.objects.filter(assignment=OuterRef("pk"), points__isnull=False)
              .order_by().values("assignment").annotate(n=Count("pk")).values("n"))
    return (reviewer_assignments(user).exclude(conflict=ConflictStatus.DECLARED)
            .select_related("round", "round__call", "application", "application__company",
                            "application__track", "application__cluster")
            .annotate(scored=Coalesce(Subquery(scored), 0))
            .order_by("submitted_at", "round__call__code", "application__receipt_number", "pk"))


def assignment_for_reviewer(user, pk) -> Assignment:
    """One of the reviewer's assignments with the parties loaded (for the conflict checks);
    DoesNotExist for any other."""
    return (reviewer_assignments(user)
            .select_related("reviewer", "round", "round__call", "application",
                            "application__company", "application__call", "application__track",
                            "application__plan", "application__plan__supplier",
                            "application__cluster", "application__cluster__supplier")
            .get(pk=pk))


def latest_plan_version(application):
    """The latest submitted version of the plan: the one reviewed."""
    return application.versions.order_by("-number").first()


@dataclass(frozen=True)
class PlanField:
    label: str
    value: object
    kind: str = "text"  # text, won, date


PLAN_TEXT_FIELDS = ("company_overview", "current_production", "production_problems", "systems",
                    "schedule_notes")
PLAN_MONEY_FIELDS = ("cost_software", "cost_hardware", "cost_consulting", "cost_other",
                     "contribution_cash", "contribution_in_kind")


def plan_for_review(version) -> dict:
    """What the scoring page shows of a submitted plan version, labelled with the plan's own
    field names. Reads ``version.data`` as the applications app froze it; a cluster's version
    (``data["kind"] == "cluster"``) gives ``cluster``: the shared part and every member's
    part and support (``clusters.selectors.cluster_plan``)."""
    data = (version.data or {}) if version is not None else {}
    if is_cluster_version(version):
        return {"cluster": cluster_plan(data), "total_cost": version.total_cost,
                "requested_support": version.requested_support}
    plan = data.get("plan", {})

    def label(name):
        return BusinessPlan._meta.get_field(name).verbose_name

    return {
        "text": [PlanField(label(name), plan.get(name, "")) for name in PLAN_TEXT_FIELDS
                 if name != "schedule_notes"],
        "supplier_name": plan.get("supplier_name", ""),
        "supplier_registration_number": plan.get("supplier_registration_number", ""),
        "money": [PlanField(label(name), plan.get(name), "won") for name in PLAN_MONEY_FIELDS],
        "total_cost": version.total_cost if version is not None else None,
        "requested_support": version.requested_support if version is not None else None,
        "kpis": [kpi_row(row) for row in plan.get("kpis") or [] if isinstance(row, dict)],
        "schedule": [PlanField(label("schedule_start"), plan.get("schedule_start"), "date"),
                     PlanField(label("schedule_end"), plan.get("schedule_end"), "date"),
                     PlanField(label("schedule_notes"), plan.get("schedule_notes", ""))],
        "company": data.get("company", {}),
        "cluster": None,
    }


def kpi_row(row: dict) -> dict:
    code = row.get("code") or row.get("name") or ""
    try:
        kpi = Kpi(code)
    except ValueError:
        return {"label": code, "unit": row.get("unit", ""), "baseline": row.get("baseline"),
                "target": row.get("target")}
    return {"label": kpi.label, "unit": KPI_UNITS.get(kpi, ""), "baseline": row.get("baseline"),
            "target": row.get("target")}


def review_cluster_documents(version):
    """The cluster's files the reviewed version froze (none for a company's own plan)."""
    return cluster_version_documents(version)


def review_documents(application, version=None):
    """The application's documents; those frozen with the version when it lists them."""
    documents = application.documents.select_related("document_type")
    ids = ((version.data or {}).get("documents_ids") if version is not None else None)
    if ids is not None:
        documents = documents.filter(pk__in=ids)
    return documents.order_by("document_type__code", "-uploaded_at", "pk")


# --- Staff: assignment overview, progress, the score matrix ---------------------------------

REVIEWABLE_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.UNDER_REVIEW,
                       ApplicationStatus.SCORED)


def round_assignments(evaluation_round):
    """The round's assignments (released ones too) with what the staff pages show."""
    return (Assignment.objects.filter(round=evaluation_round)
            .select_related("reviewer", "reviewer__user")
            .annotate(scored=Count("scores", filter=Q(scores__points__isnull=False)),
                      total=Sum("scores__points"))
            .order_by("released_at", "reviewer__user__full_name", "pk"))


def round_applications(evaluation_round):
    """Applications of the round's call that are screened eligible or further, or already have
    reviewers, each with its assignments of the round in ``round_assignments``."""
    assigned = Assignment.objects.filter(round=evaluation_round).values("application_id")
    return (Application.objects.filter(call_id=evaluation_round.call_id)
            .filter(Q(status__in=REVIEWABLE_STATUSES) | Q(pk__in=assigned))
            .select_related("company", "track", "cluster")
            .prefetch_related(Prefetch("review_assignments",
                                       queryset=round_assignments(evaluation_round),
                                       to_attr="round_assignments"))
            .order_by("track__order", "receipt_number", "pk"))


def needing_replacement(evaluation_round):
    return (Assignment.objects.needing_replacement().filter(round=evaluation_round)
            .select_related("reviewer__user", "application", "application__company")
            .order_by("conflict_answered_at", "pk"))


def round_tallies(rounds) -> dict[int, RoundTally]:
    """Each round's ``RoundTally`` as it stands at the round's current revision, by round
    id; ``rounds`` come with ``select_related("revision", "tally")``. The rounds whose stored
    tally is current cost no query; the others (changed since: every save, delete and bulk
    insert of an assignment moves the ``RoundRevision`` on) are counted again in one query
    over their assignments, by reviewer, and stored in one more."""
    current, stale = {}, {}
    for evaluation_round in rounds:
        # The revision is read before the counting: a change committed in between moves it
        # on again, and the next read counts once more.
        revision = getattr(evaluation_round, "revision", None)
        revision = revision.value if revision else 0
        tally = getattr(evaluation_round, "tally", None)
        if tally is None or tally.revision != revision:
            stale[evaluation_round.pk] = RoundTally(round=evaluation_round, revision=revision,
                                                    assigned=0, submitted=0, conflicts=0,
                                                    reviewers={})
        else:
            current[evaluation_round.pk] = tally
    if not stale:
        return current
    counting = Q(released_at__isnull=True) & ~Q(conflict=ConflictStatus.DECLARED)
    for row in (Assignment.objects.filter(round__in=list(stale)).order_by()
                .values("round_id", "reviewer_id")
                .annotate(assigned=Count("pk", filter=counting),
                          submitted=Count("pk", filter=counting
                                          & Q(submitted_at__isnull=False)),
                          conflicts=Count("pk", filter=Q(released_at__isnull=True,
                                                         conflict=ConflictStatus.DECLARED)))):
        tally = stale[row["round_id"]]
        tally.assigned += row["assigned"]
        tally.submitted += row["submitted"]
        tally.conflicts += row["conflicts"]
        tally.reviewers[str(row["reviewer_id"])] = [
            row["assigned"], row["submitted"], row["conflicts"]]
    RoundTally.objects.bulk_create(
        stale.values(), update_conflicts=True, unique_fields=["round"],
        update_fields=["revision", "assigned", "submitted", "conflicts", "reviewers"])
    return current | stale


def reviewer_progress(evaluation_round, tally: RoundTally):
    """The round's committee and every reviewer assigned in it (the reviewers of its
    ``tally``, from ``round_tallies``), by name; ``with_progress`` gives the reviewers of a
    page their counts — assigned, submitted, open conflicts: who has finished. The
    reviewers are chosen by a subquery and the tally's ids, so the database reads neither
    the round's assignments nor a duplicate row to remove."""
    committee = ReviewerProfile.calls.through.objects.filter(
        call_id=evaluation_round.call_id).values("reviewerprofile_id")
    assigned = [int(reviewer_id) for reviewer_id in tally.reviewers]
    return (ReviewerProfile.objects
            .filter(Q(pk__in=committee) | Q(pk__in=assigned))
            .select_related("user")
            .order_by("user__full_name", "pk"))


def with_progress(reviewers, tally: RoundTally):
    """``reviewers`` with the counts of their assignments in the tally's round as
    ``assigned``, ``submitted`` and ``conflicts`` (zeros for a reviewer of the committee
    without one)."""
    for reviewer in reviewers:
        reviewer.assigned, reviewer.submitted, reviewer.conflicts = tally.reviewers.get(
            str(reviewer.pk), (0, 0, 0))
    return reviewers
