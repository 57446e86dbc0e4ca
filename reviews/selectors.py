"""Reads of the reviews app that span relations: aggregation and ranking, queues, the matrix.

``call_scores`` is the interface the awards computation uses; the arithmetic itself is in
``reviews.scoring`` so that it can be tested on plain values.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Count, FilteredRelation, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from applications.enums import KPI_UNITS, ApplicationStatus, Kpi
from applications.models import Application, BonusClaim, BusinessPlan
from applications.selectors import cluster_of
from clusters.models import ClusterMember
from clusters.selectors import cluster_plan, cluster_version_documents, is_cluster_version
from programs.models import Call, Criterion, EvaluationRound

from . import scoring
from .enums import ConflictStatus
from .models import Assignment, ReviewerProfile, Score


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
                            statuses=None):
    """One row per submitted, counted review of the round: ``(application id, the review's
    total, its first-criterion points)``."""
    reviews = Assignment.objects.counting().submitted().filter(round=evaluation_round)
    if statuses is not None:
        reviews = reviews.filter(application__status__in=list(statuses))
    first_filter = Q(scores__criterion=first) if first else Q(pk__in=[])
    return (
        reviews.order_by()
        .values("pk", "application_id")
        .annotate(total=Coalesce(Sum("scores__points"), Decimal("0")),
                  first=Coalesce(Sum("scores__points", filter=first_filter), Decimal("0")))
        .values_list("application_id", "total", "first")
    )


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


def call_scores(call, *, statuses=None, evaluation_round=None) -> list[ApplicationScore]:
    """Scores of the call's applications that have submitted reviews, ordered by track order,
    then rank.

    ``statuses`` limits the applications (and so the ranking) to those statuses.
    ``evaluation_round`` defaults to the call's first round. Five queries, however many
    applications.
    """
    evaluation_round = evaluation_round or scoring_round(call)
    if evaluation_round is None:
        return []
    first = first_criterion(evaluation_round)
    per_application = defaultdict(list)
    for application_id, total, first_points in submitted_review_totals(
            evaluation_round, first, statuses=statuses):
        per_application[application_id].append((Decimal(total), Decimal(first_points)))
    facts = application_facts(evaluation_round.call_id) if per_application else {}
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
    page it returns only (a committee member may have thousands of assignments)."""
    scored = (Score.objects.filter(assignment=OuterRef("pk"), points__isnull=False)
              .order_by().values("assignment").annotate(n=Count("pk")).values("n"))
    return (reviewer_assignments(user)
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


def _counting_filter(prefix=""):
    return (Q(**{f"{prefix}released_at__isnull": True})
            & ~Q(**{f"{prefix}conflict": ConflictStatus.DECLARED}))


def rounds_with_progress():
    """Every evaluation round with its counts: reviews assigned, submitted, conflicts open."""
    counting = _counting_filter("assignments__")
    return (EvaluationRound.objects.select_related("call")
            .annotate(assigned=Count("assignments", filter=counting),
                      submitted=Count("assignments", filter=counting
                                      & Q(assignments__submitted_at__isnull=False)),
                      conflicts=Count("assignments", filter=Q(
                          assignments__released_at__isnull=True,
                          assignments__conflict=ConflictStatus.DECLARED)))
            .order_by("call__code", "order", "pk"))


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


def reviewer_progress(evaluation_round):
    """The round's committee and every reviewer assigned in it: assigned, submitted, open
    conflicts — who has finished.

    The counts join only this round's assignments (a ``FilteredRelation``) and the reviewers
    are chosen by subqueries, so there is no duplicate row to remove with DISTINCT and the
    database counts one round's assignments, not every round's."""
    committee = ReviewerProfile.calls.through.objects.filter(
        call_id=evaluation_round.call_id).values("reviewerprofile_id")
    assigned = Assignment.objects.filter(round=evaluation_round).values("reviewer_id")
    counting = (Q(in_round__released_at__isnull=True)
                & ~Q(in_round__conflict=ConflictStatus.DECLARED))
    return (ReviewerProfile.objects
            .filter(Q(pk__in=committee) | Q(pk__in=assigned))
            .select_related("user")
            .annotate(in_round=FilteredRelation("assignments",
                                                condition=Q(assignments__round=evaluation_round)))
            .annotate(assigned=Count("in_round", filter=counting),
                      submitted=Count("in_round", filter=counting
                                      & Q(in_round__submitted_at__isnull=False)),
                      conflicts=Count("in_round", filter=Q(
                          in_round__released_at__isnull=True,
                          in_round__conflict=ConflictStatus.DECLARED)))
            .order_by("user__full_name", "pk"))


ONE_PLACE = Decimal("0.1")  # a reviewer's total is in half points


@dataclass(frozen=True)
class MatrixCell:
    assignment: Assignment
    total: Decimal | None  # only once submitted

    @property
    def state(self):
        return self.assignment.state


@dataclass(frozen=True)
class MatrixRow:
    application: Application
    cells: tuple  # one MatrixCell or None per reviewer column
    submitted: int
    expected: int
    spread: scoring.Spread | None
    score: ApplicationScore | None

    @property
    def complete(self):
        return self.expected > 0 and self.submitted == self.expected


@dataclass(frozen=True)
class ScoreMatrix:
    evaluation_round: EvaluationRound
    reviewers: tuple
    rows: tuple
    submitted: int
    expected: int
    page: object = None  # a MatrixPage when the matrix is one page of the round

    @property
    def ranked(self) -> list[MatrixRow]:
        """Rows with submitted reviews, in track order then rank."""
        return sorted((row for row in self.rows if row.score is not None),
                      key=lambda row: (row.application.track.order, row.application.track_id,
                                       row.score.rank, row.application.receipt_number or "",
                                       row.application.pk))

    @property
    def percent_done(self) -> int:
        return round(100 * self.submitted / self.expected) if self.expected else 0


def score_matrix(evaluation_round: EvaluationRound) -> ScoreMatrix:
    """Applications × reviewers with each submitted total, progress, mean/median/standard
    deviation per application and the ranking (``call_scores``). Seven queries, however many
    applications and reviewers."""
    assignments = list(
        Assignment.objects.active().filter(round=evaluation_round)
        .select_related("reviewer", "reviewer__user", "application", "application__company",
                        "application__track", "application__cluster")
        .annotate(total=Sum("scores__points"))
        .order_by("application__track__order", "application__receipt_number",
                  "application_id", "pk"))
    reviewers = sorted({a.reviewer for a in assignments},
                       key=lambda r: (r.user.full_name or r.user.email, r.pk))
    column = {reviewer.pk: index for index, reviewer in enumerate(reviewers)}
    scores = {s.application_id: s for s in call_scores(evaluation_round.call,
                                                       evaluation_round=evaluation_round)}
    by_application = defaultdict(list)
    for assignment in assignments:
        by_application[assignment.application_id].append(assignment)
    rows = []
    for application_id, items in by_application.items():
        cells = [None] * len(reviewers)
        totals = []
        expected = submitted = 0
        for assignment in items:
            total = (Decimal(assignment.total or 0).quantize(ONE_PLACE)
                     if assignment.is_submitted else None)
            cells[column[assignment.reviewer_id]] = MatrixCell(assignment, total)
            if assignment.conflict != ConflictStatus.DECLARED:
                expected += 1
            if total is not None:
                submitted += 1
                totals.append(total)
        rows.append(MatrixRow(application=items[0].application, cells=tuple(cells),
                              submitted=submitted, expected=expected,
                              spread=scoring.spread(totals),
                              score=scores.get(application_id)))
    position = {s.application_id: index for index, s in enumerate(scores.values())}
    rows.sort(key=lambda row: (row.score is None,
                               position.get(row.application.pk, 0),
                               row.application.track.order,
                               row.application.receipt_number or "", row.application.pk))
    return ScoreMatrix(evaluation_round=evaluation_round, reviewers=tuple(reviewers),
                       rows=tuple(rows), submitted=sum(r.submitted for r in rows),
                       expected=sum(r.expected for r in rows))


# --- The score matrix a page at a time: the ranking computed by the database -----------------
#
# ``ranked_page`` gives the same figures as ``call_scores`` (a test compares them on random
# reviews) but sorts, filters and pages the round's applications in one query, so a page of
# 50 applications costs the same whether the round has 50 or 5,000. Points have one decimal
# and bonus points too, so the SQL works in integer tenths and rounds half-up exactly with
# integer division (every operand cast to BIGINT: PostgreSQL's SUM of integers is numeric):
# round(x / d, 2) = (20·x + d) // (2·d) hundredths for x ≥ 0 in tenths.

RANKING_SQL = """
WITH reviews AS (
    SELECT a.application_id AS application_id,
           COALESCE(SUM(CAST(s.points * 10 AS INTEGER)), 0) AS total,
           COALESCE(SUM(CASE WHEN s.criterion_id = (
               SELECT c.id FROM programs_criterion c WHERE c.round_id = %(round)s
               ORDER BY c."order", c.id LIMIT 1) THEN CAST(s.points * 10 AS INTEGER)
               ELSE 0 END), 0) AS first
    FROM reviews_assignment a LEFT JOIN reviews_score s ON s.assignment_id = a.id
    WHERE a.round_id = %(round)s AND a.released_at IS NULL AND a.conflict <> %(declared)s
      AND a.submitted_at IS NOT NULL
    GROUP BY a.id, a.application_id
),
kept AS (
    SELECT application_id, CAST(COUNT(*) AS BIGINT) AS n, CAST(SUM(first) AS BIGINT) AS f,
           CAST(CASE WHEN COUNT(*) >= %(trim)s THEN SUM(total) - MAX(total) - MIN(total)
                     ELSE SUM(total) END AS BIGINT) AS t,
           CAST(CASE WHEN COUNT(*) >= %(trim)s THEN COUNT(*) - 2 ELSE COUNT(*) END
                AS BIGINT) AS m
    FROM reviews GROUP BY application_id
),
bonus AS (
    SELECT c.application_id AS application_id,
           CAST(SUM(CAST(i.points * 10 AS INTEGER)) AS BIGINT) AS b
    FROM applications_bonusclaim c
    JOIN programs_bonusitem i ON i.id = c.bonus_item_id
    JOIN applications_application ba ON ba.id = c.application_id
    WHERE c.verified AND ba.call_id = %(call)s
    GROUP BY c.application_id
),
scored AS (
    SELECT k.application_id AS application_id, k.n AS n, COALESCE(b.b, 0) AS bonus,
           (20 * k.t + k.m) / (2 * k.m) AS base,
           (20 * (k.t + COALESCE(b.b, 0) * k.m) + k.m) / (2 * k.m) AS final,
           (20 * k.f + k.n) / (2 * k.n) AS first
    FROM kept k LEFT JOIN bonus b ON b.application_id = k.application_id
),
ranked AS (
    SELECT app.id AS application_id, sc.n AS n, sc.bonus AS bonus, sc.base AS base,
           sc.final AS final, sc.first AS first,
           CASE WHEN sc.application_id IS NULL THEN NULL ELSE RANK() OVER (
               PARTITION BY app.track_id, sc.application_id IS NULL
               ORDER BY sc.final DESC, sc.base DESC, sc.first DESC,
                        CASE WHEN app.submitted_at IS NULL THEN 1 ELSE 0 END,
                        app.submitted_at) END AS rank
    FROM applications_application app
    LEFT JOIN scored sc ON sc.application_id = app.id
    WHERE app.id IN (SELECT application_id FROM reviews_assignment
                     WHERE round_id = %(round)s AND released_at IS NULL)
)
SELECT r.application_id, r.n, r.bonus, r.base, r.final, r.first, r.rank,
       COUNT(*) OVER () AS matching
FROM ranked r
JOIN applications_application app ON app.id = r.application_id
JOIN programs_track tr ON tr.id = app.track_id
JOIN companies_company co ON co.id = app.company_id
WHERE {where}
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""

# The matrix's sort orders: by rank within each track (ranked first, as the ranking reads), by
# receipt number, by company name, or by final score across tracks.
MATRIX_ORDERS = {
    "rank": "CASE WHEN r.rank IS NULL THEN 1 ELSE 0 END, tr.\"order\", r.rank, "
            "app.receipt_number, app.id",
    "receipt": "app.receipt_number, app.id",
    "company": "co.name, app.receipt_number, app.id",
    "score": "CASE WHEN r.final IS NULL THEN 1 ELSE 0 END, r.final DESC, app.receipt_number, "
             "app.id",
}
HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class RankedRow:
    application_id: int
    reviewer_count: int | None
    bonus: Decimal | None
    base_score: Decimal | None
    final_score: Decimal | None
    first_criterion_mean: Decimal | None
    rank: int | None


def ranked_page(evaluation_round, *, order="rank", track_id=None, search="", offset=0,
                limit=50) -> tuple[list[RankedRow], int]:
    """One page of the round's applications (those with an active assignment) with their
    figures and rank within their track, sorted by ``order`` (a key of ``MATRIX_ORDERS``),
    and how many applications match the filters. One query."""
    where, params = ["1 = 1"], {
        "round": evaluation_round.pk, "call": evaluation_round.call_id,
        "declared": ConflictStatus.DECLARED.value, "trim": scoring.TRIM_FROM,
        "limit": limit, "offset": offset}
    if track_id:
        where.append("app.track_id = %(track)s")
        params["track"] = track_id
    if search:
        where.append("(UPPER(app.receipt_number) LIKE UPPER(%(search)s) "
                     "OR UPPER(co.name) LIKE UPPER(%(search)s))")
        params["search"] = "%" + search.replace("\\", "").replace("%", "").replace("_", "") + "%"
    sql = RANKING_SQL.format(where=" AND ".join(where),
                             order=MATRIX_ORDERS.get(order, MATRIX_ORDERS["rank"]))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    matching = rows[0][7] if rows else 0
    return [RankedRow(application_id=pk, reviewer_count=n,
                      bonus=None if n is None else (Decimal(bonus) * TENTH if bonus
                                                    else Decimal(0)),
                      base_score=None if n is None else Decimal(base) * HUNDREDTH,
                      final_score=None if n is None else Decimal(final) * HUNDREDTH,
                      first_criterion_mean=None if n is None else Decimal(first) * HUNDREDTH,
                      rank=rank)
            for pk, n, bonus, base, final, first, rank, _matching in rows], matching


@dataclass(frozen=True)
class MatrixPage:
    """Which page of how many matching applications a ``ScoreMatrix`` shows."""

    number: int
    per_page: int
    matching: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.matching // self.per_page))

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.pages

    @property
    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.matching else 0

    @property
    def end_index(self):
        return min(self.number * self.per_page, self.matching)


def round_progress(evaluation_round) -> tuple[int, int]:
    """(reviews submitted, reviews expected) of the round: its counting assignments."""
    counts = Assignment.objects.counting().filter(round=evaluation_round).aggregate(
        expected=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    return counts["submitted"], counts["expected"]


def reviewer_order(reviewer):
    return (reviewer.user.full_name or reviewer.user.email, reviewer.pk)


def matrix_rows(evaluation_round, ranked: list[RankedRow], reviewers=None):
    """``(reviewers, rows)``: the ``MatrixRow`` of each application of ``ranked`` (its cells,
    spread and score), one column per reviewer — those assigned to these applications unless
    ``reviewers`` are given. Two queries."""
    ids = [row.application_id for row in ranked]
    applications = Application.objects.select_related("company", "track", "cluster").in_bulk(
        ids)
    assignments = list(
        Assignment.objects.active().filter(round=evaluation_round, application_id__in=ids)
        .select_related("reviewer", "reviewer__user")
        .annotate(total=Sum("scores__points"))
        .order_by("application_id", "pk"))
    if reviewers is None:
        reviewers = sorted({a.reviewer for a in assignments}, key=reviewer_order)
    column = {reviewer.pk: index for index, reviewer in enumerate(reviewers)}
    by_application = defaultdict(list)
    for assignment in assignments:
        by_application[assignment.application_id].append(assignment)
    rows = []
    for figures in ranked:
        application = applications[figures.application_id]
        cells = [None] * len(reviewers)
        totals, counted = [], []
        expected = submitted = 0
        for assignment in by_application[figures.application_id]:
            total = (Decimal(assignment.total or 0).quantize(ONE_PLACE)
                     if assignment.is_submitted else None)
            cells[column[assignment.reviewer_id]] = MatrixCell(assignment, total)
            if assignment.conflict != ConflictStatus.DECLARED:
                expected += 1
                if total is not None:
                    counted.append(total)
            if total is not None:
                submitted += 1
                totals.append(total)
        score = None
        if figures.rank is not None:
            score = ApplicationScore(
                application_id=application.pk, track_id=application.track_id,
                reviewer_count=figures.reviewer_count, totals=tuple(sorted(counted)),
                base_score=figures.base_score, bonus=figures.bonus,
                final_score=figures.final_score,
                first_criterion_mean=figures.first_criterion_mean,
                submitted_at=application.submitted_at, rank=figures.rank,
                above_cutoff=scoring.is_above_cutoff(figures.final_score,
                                                     evaluation_round.call.cutoff_score))
        rows.append(MatrixRow(application=application, cells=tuple(cells),
                              submitted=submitted, expected=expected,
                              spread=scoring.spread(totals), score=score))
    return reviewers, rows


def round_reviewers(evaluation_round) -> list:
    """Every reviewer with an active assignment in the round, in the matrix's column order."""
    return sorted(ReviewerProfile.objects.filter(
        pk__in=Assignment.objects.active().filter(round=evaluation_round).values("reviewer_id"))
        .select_related("user"), key=reviewer_order)


def matrix_export(evaluation_round, *, chunk=500):
    """``(reviewers, rows)`` of the whole matrix for an export: every reviewer of the round as
    a column and an iterator of every application's ``MatrixRow`` in ranking order, read
    ``chunk`` applications at a time (the figures of all of them in one query first)."""
    ranked, _matching = ranked_page(evaluation_round, limit=10**9)
    reviewers = round_reviewers(evaluation_round)

    def rows():
        for start in range(0, len(ranked), chunk):
            yield from matrix_rows(evaluation_round, ranked[start:start + chunk],
                                   reviewers=reviewers)[1]

    return reviewers, rows()


def score_matrix_page(evaluation_round: EvaluationRound, *, order="rank", track_id=None,
                      search="", page=1, per_page=50) -> ScoreMatrix:
    """One page of the score matrix: the page's applications × the reviewers assigned to
    them, each row with its spread and its score and rank (``ranked_page``), and the round's
    progress. Five queries, whatever the size of the round."""
    number = max(1, page)
    ranked, matching = ranked_page(evaluation_round, order=order, track_id=track_id,
                                   search=search, offset=(number - 1) * per_page,
                                   limit=per_page)
    if not ranked and number > 1:  # past the end: the first page
        number = 1
        ranked, matching = ranked_page(evaluation_round, order=order, track_id=track_id,
                                       search=search, limit=per_page)
    reviewers, rows = matrix_rows(evaluation_round, ranked)
    submitted_all, expected_all = round_progress(evaluation_round)
    return ScoreMatrix(evaluation_round=evaluation_round, reviewers=tuple(reviewers),
                       rows=tuple(rows), submitted=submitted_all, expected=expected_all,
                       page=MatrixPage(number=number, per_page=per_page, matching=matching))
