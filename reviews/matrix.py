"""The score matrix staff read: every reviewer's total per application with the ranking, whole
(``score_matrix``, the exports) or a page at a time with the ranking computed by the database
(``score_matrix_page``, ``ranked_page``)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum

from applications.models import Application
from portal import bulk
from programs.models import EvaluationRound

from . import calibration, scoring
from .enums import ConflictStatus
from .models import Assignment, ReviewerProfile, Standing, StandingRow
from .selectors import (
    ApplicationScore,
    call_scores,
    round_tallies,
)

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
    # The fairness advice (calibrated score and rank, disagreement): calibration.Advice
    advice: calibration.Advice | None = None

    @property
    def flagged(self) -> bool:
        return self.advice is not None and self.advice.disagreement.flagged

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
# The tie-break on the first criterion compares the exact mean f / n (rule 2025.2), as a double:
# IEEE division is correctly rounded, so equal fractions (2/4, 1/2) give the same double, and
# two different ones differ by at least 1 / (n₁·n₂) tenths — far above a double's resolution for
# any committee size — so the order is the order of the fractions.

# A page of the ranked rows ``r``: filtered, sorted and paged with the applications' columns.
PAGE_OF_ROWS = """
JOIN applications_application app ON app.id = r.application_id
JOIN programs_track tr ON tr.id = app.track_id
JOIN companies_company co ON co.id = app.company_id
WHERE {where}
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""

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
           (20 * k.f + k.n) / (2 * k.n) AS first,
           CAST(k.f AS DOUBLE PRECISION) / k.n AS first_exact
    FROM kept k LEFT JOIN bonus b ON b.application_id = k.application_id
),
ranked AS (
    SELECT app.id AS application_id, sc.n AS n, sc.bonus AS bonus, sc.base AS base,
           sc.final AS final, sc.first AS first,
           CASE WHEN sc.application_id IS NULL THEN NULL ELSE RANK() OVER (
               PARTITION BY app.track_id, sc.application_id IS NULL
               ORDER BY sc.final DESC, sc.base DESC, sc.first_exact DESC,
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
""" + PAGE_OF_ROWS

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


def _ranking_filters(evaluation_round, track_id, search):
    where, params = ["1 = 1"], {"round": evaluation_round.pk}
    if track_id:
        where.append("app.track_id = %(track)s")
        params["track"] = track_id
    if search:
        where.append("(UPPER(app.receipt_number) LIKE UPPER(%(search)s) "
                     "OR UPPER(co.name) LIKE UPPER(%(search)s))")
        params["search"] = "%" + search.replace("\\", "").replace("%", "").replace("_", "") + "%"
    return " AND ".join(where), params


def _ranked_rows(rows) -> list[RankedRow]:
    """``RankedRow``s of ``(application, n, bonus tenths, base, final and first-criterion
    hundredths, rank)`` rows (the SQL's integers; ``n`` none before a counted review)."""
    return [RankedRow(application_id=pk, reviewer_count=n,
                      bonus=None if n is None else (Decimal(bonus) * TENTH if bonus
                                                    else Decimal(0)),
                      base_score=None if n is None else Decimal(base) * HUNDREDTH,
                      final_score=None if n is None else Decimal(final) * HUNDREDTH,
                      first_criterion_mean=None if n is None else Decimal(first) * HUNDREDTH,
                      rank=rank)
            for pk, n, bonus, base, final, first, rank in rows]


def _page_of(sql, evaluation_round, *, order, track_id, search, offset, limit, **params):
    """The rows of ``sql`` (a query ending in ``PAGE_OF_ROWS``) for these filters and this
    page, sorted by ``order``."""
    where, filters = _ranking_filters(evaluation_round, track_id, search)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(where=where,
                                  order=MATRIX_ORDERS.get(order, MATRIX_ORDERS["rank"])),
                       {**filters, **params, "limit": limit, "offset": offset})
        return cursor.fetchall()


def _ranking(evaluation_round, *, order="rank", track_id=None, search="", offset=0,
             limit=50) -> tuple[list[tuple], int]:
    rows = _page_of(RANKING_SQL, evaluation_round, order=order, track_id=track_id,
                    search=search, offset=offset, limit=limit, call=evaluation_round.call_id,
                    declared=ConflictStatus.DECLARED.value, trim=scoring.TRIM_FROM)
    return [row[:7] for row in rows], rows[0][7] if rows else 0


def ranked_page(evaluation_round, *, order="rank", track_id=None, search="", offset=0,
                limit=50) -> tuple[list[RankedRow], int]:
    """One page of the round's applications (those with an active assignment) with their
    figures and rank within their track, sorted by ``order`` (a key of ``MATRIX_ORDERS``),
    and how many applications match the filters, ranked from the round's reviews. One
    query."""
    rows, matching = _ranking(evaluation_round, order=order, track_id=track_id,
                              search=search, offset=offset, limit=limit)
    return _ranked_rows(rows), matching


# --- The stored standing: the whole round ranked once per change ------------------------------
#
# Ranking a round of 10,000 applications (the rule's window functions over 250,000 scores, and
# the calibrated advice over every review) takes most of a second; a page shows 50 rows. The
# round's ``Standing`` keeps both rankings as they were at the round's ``RoundRevision``, which
# counts every change of what they are computed from (``reviews.receivers``); the first page
# read after a change ranks the round again and stores it, every other read sorts, filters and
# pages the stored rows.

STANDING_SQL = """
SELECT r.application_id, r.n, r.bonus, r.base, r.final, r.first, r.rank,
       r.calibrated_final, r.calibrated_base, r.calibrated_rank, COUNT(*) OVER () AS matching
FROM (SELECT application_id, reviewer_count AS n, bonus_tenths AS bonus,
             base_hundredths AS base, final_hundredths AS final, first_hundredths AS first,
             rank, calibrated_final, calibrated_base, calibrated_rank
      FROM reviews_standingrow WHERE round_id = %(round)s) r
""" + PAGE_OF_ROWS


def fresh_standing(evaluation_round) -> None:
    """Make the round's stored standing that of its current revision. One query when it is;
    otherwise the round is ranked again (``ranked_page`` over all its applications,
    ``calibration.round_fairness``) and its rows replaced, under a lock of the standing so
    that two pages read at once store it once. The revision is read before the reviews: a
    change committed meanwhile moves it on again, so a standing is never kept as current
    with older rows than its revision."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT value FROM reviews_roundrevision WHERE round_id = %s), "
            "(SELECT revision FROM reviews_standing WHERE round_id = %s)",
            [evaluation_round.pk, evaluation_round.pk])
        revision, stored = cursor.fetchone()
    revision = revision or 0
    if stored == revision:
        return
    ranked, _matching = _ranking(evaluation_round, limit=10**9)
    advice = calibration.round_fairness(evaluation_round).applications
    rows = []
    for pk, n, bonus, base, final, first, rank in ranked:
        calibrated = advice.get(pk)
        rows.append(StandingRow(
            round_id=evaluation_round.pk, application_id=pk, reviewer_count=n,
            bonus_tenths=bonus, base_hundredths=base, final_hundredths=final,
            first_hundredths=first, rank=rank,
            calibrated_final=calibrated.calibrated_final if calibrated else None,
            calibrated_base=calibrated.calibrated_base if calibrated else None,
            calibrated_rank=calibrated.calibrated_rank if calibrated else None))
    with transaction.atomic():
        standing, created = Standing.objects.select_for_update().get_or_create(
            round=evaluation_round, defaults={"revision": revision})
        if not created:
            if standing.revision == revision:
                return  # stored by another page meanwhile
            standing.revision = revision
            standing.save(update_fields=["revision"])
        StandingRow.objects.filter(round=evaluation_round).delete()
        bulk.insert(StandingRow, rows)


def standing_page(evaluation_round, *, order="rank", track_id=None, search="", offset=0,
                  limit=50) -> tuple[list[RankedRow], int, dict]:
    """What ``ranked_page`` gives, read from the round's stored standing (current: see
    ``fresh_standing``), with each row's calibrated ``(final, base, rank)`` by application
    (none without calibrated totals). One query."""
    rows = _page_of(STANDING_SQL, evaluation_round, order=order, track_id=track_id,
                    search=search, offset=offset, limit=limit)
    calibrated = {row[0]: (Decimal(str(row[7])).quantize(HUNDREDTH),
                           Decimal(str(row[8])).quantize(HUNDREDTH), row[9])
                  for row in rows if row[9] is not None}
    return _ranked_rows(row[:7] for row in rows), rows[0][10] if rows else 0, calibrated


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
    """(reviews submitted, reviews expected) of the round: its counting assignments, read
    from its stored tally (``selectors.round_tallies``; no query while it is current when
    the round comes with ``select_related("revision", "tally")``)."""
    tally = round_tallies([evaluation_round])[evaluation_round.pk]
    return tally.submitted, tally.assigned


def reviewer_order(reviewer):
    return (reviewer.user.full_name or reviewer.user.email, reviewer.pk)


def matrix_rows(evaluation_round, ranked: list[RankedRow], reviewers=None, calibrated=None):
    """``(reviewers, rows)``: the ``MatrixRow`` of each application of ``ranked`` (its cells,
    spread, score and, given the ``calibrated`` figures of ``standing_page``, its advice), one
    column per reviewer — those assigned to these applications unless ``reviewers`` are
    given. Two queries."""
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
    thresholds = calibration.disagreement_thresholds()
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
        advice = None
        if calibrated and application.pk in calibrated:
            final, base, rank = calibrated[application.pk]
            advice = calibration.Advice(
                application_id=application.pk, calibrated_final=final, calibrated_base=base,
                calibrated_rank=rank, totals=tuple(counted), thresholds=thresholds)
        rows.append(MatrixRow(application=application, cells=tuple(cells),
                              submitted=submitted, expected=expected,
                              spread=scoring.spread(totals), score=score, advice=advice))
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
    fresh_standing(evaluation_round)
    ranked, _matching, calibrated = standing_page(evaluation_round, limit=10**9)
    reviewers = round_reviewers(evaluation_round)

    def rows():
        for start in range(0, len(ranked), chunk):
            yield from matrix_rows(evaluation_round, ranked[start:start + chunk],
                                   reviewers=reviewers, calibrated=calibrated)[1]

    return reviewers, rows()


def score_matrix_page(evaluation_round: EvaluationRound, *, order="rank", track_id=None,
                      search="", page=1, per_page=50) -> ScoreMatrix:
    """One page of the score matrix: the page's applications × the reviewers assigned to
    them, each row with its spread and its score and rank, its advice (calibrated score and
    rank, disagreement) — both from the round's stored standing (``fresh_standing``,
    ``standing_page``) — and the round's progress (its stored tally). Four queries while the
    standing and the tally are current, whatever the size of the round."""
    fresh_standing(evaluation_round)
    number = max(1, page)
    ranked, matching, calibrated = standing_page(
        evaluation_round, order=order, track_id=track_id, search=search,
        offset=(number - 1) * per_page, limit=per_page)
    if not ranked and number > 1:  # past the end: the first page
        number = 1
        ranked, matching, calibrated = standing_page(
            evaluation_round, order=order, track_id=track_id, search=search, limit=per_page)
    reviewers, rows = matrix_rows(evaluation_round, ranked, calibrated=calibrated)
    submitted_all, expected_all = round_progress(evaluation_round)
    return ScoreMatrix(evaluation_round=evaluation_round, reviewers=tuple(reviewers),
                       rows=tuple(rows), submitted=submitted_all, expected=expected_all,
                       page=MatrixPage(number=number, per_page=per_page, matching=matching))
