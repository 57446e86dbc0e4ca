"""Benchmark of the reviews aggregation (figures, not a test).

    .venv/bin/python bench/reviews_scores.py [applications] [reviewers per application]
        [--profile] [--assign-only]

Creates a throwaway test database (``test_<name>`` of DATABASE_URL, dropped at the end), loads
the demo programmes, then for one call: N eligible applications, a committee of 40 reviewers,
automatic assignment of R reviewers each, every review submitted with five criterion scores.
It times automatic assignment, ``call_scores`` (the awards' interface), ``score_matrix`` (the
staff page) and the pure arithmetic of ``reviews.scoring`` on plain values, and counts the
queries of the two selectors. Set DATABASE_URL to PostgreSQL for the figures that matter.

Automatic assignment is timed as staff wait for it: the whole ``auto_assign`` call as the
assignments page runs it (outside any transaction, so committed when it returns), three times
on the same data (the round's assignments, their audit rows and the applications' state
changes removed and the tables vacuumed in between), median. **Target: ≤ 5 s at 10,000 × 5 on
PostgreSQL (issue 16).** Each figure is also given as a ratio to the floor (``bench/floor.py``:
1,000 trivial queries and a fixed Python loop), timed before and after; the smaller divides.

``--profile`` adds a cProfile of one more committed ``auto_assign`` and its queries, the
slowest first (the commit, which runs the deferred foreign-key checks, is in the profile).
``--assign-only`` stops after automatic assignment (no scores, no selectors timed).
"""

import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from floor import best_floor  # noqa: E402 (bench/floor.py)


def timed(function, repeat=5):
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return result, statistics.median(durations)


def registration_number(n: int) -> str:
    from companies.validators import WEIGHTS

    body = f"{300000000 + n * 7919:09d}"[-9:]
    digits = [int(c) for c in body]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=False)) + (digits[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


def populate(count: int, per_application: int):
    from applications.enums import ApplicationStatus
    from applications.models import Application, BusinessPlan
    from companies.models import Company
    from portal.models import User
    from programs import demo
    from programs.models import EvaluationRound
    from reviews import services
    from reviews.models import Assignment, ReviewerProfile, Score

    demo.load()
    evaluation_round = EvaluationRound.objects.select_related("call").get(call__code="2025-GB")
    call = evaluation_round.call
    track = call.tracks.get(kind="basic")
    region = call.region
    companies = Company.objects.bulk_create(
        Company(name=f"벤치식품 {n}", registration_number=registration_number(n),
                representative="홍길동", address="경상북도", region=region, ksic_code="C10",
                is_sme=True, employees=20, revenue=1_000_000_000) for n in range(count))
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(call=call, track=track, company=company,
                    status=ApplicationStatus.ELIGIBLE, receipt_number=f"B-{n:06d}",
                    submitted_at=now) for n, company in enumerate(companies))
    BusinessPlan.objects.bulk_create(BusinessPlan(application=a) for a in applications)
    users = User.objects.bulk_create(
        User(email=f"bench{n}@review.test", username=f"bench{n}@review.test",
             full_name=f"벤치위원{n}", password="!") for n in range(40))
    profiles = ReviewerProfile.objects.bulk_create(
        ReviewerProfile(user=user, organisation="벤치대학교",
                        organisation_registration_number=registration_number(90_000 + n))
        for n, user in enumerate(users))
    ReviewerProfile.calls.through.objects.bulk_create(
        ReviewerProfile.calls.through(reviewerprofile_id=p.pk, call_id=call.pk)
        for p in profiles)
    staff = User.objects.create(email="bench-staff@mss.test", username="bench-staff",
                                is_staff=True)

    def assign():
        return services.auto_assign(evaluation_round, per_application=per_application,
                                    actor=staff)

    vacuum()
    floor_before = best_floor()
    durations = []
    for _ in range(3):
        start = time.perf_counter()
        assign()
        durations.append(time.perf_counter() - start)
        unassign(evaluation_round)
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            profiler.runcall(assign)
        unassign(evaluation_round)
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
        print(f"auto_assign's {len(queries.captured_queries)} queries, slowest first:")
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
            print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:150]}")
    floor_after = best_floor()
    assign()  # the reviews scored below
    assign_seconds = statistics.median(durations)
    if "--assign-only" in sys.argv:
        return evaluation_round, assign_seconds, 0, (floor_before, floor_after)

    criteria = list(evaluation_round.criteria.order_by("order"))
    rng = random.Random(2025)
    scores = []
    for assignment in Assignment.objects.filter(round=evaluation_round):
        for criterion in criteria:
            halves = rng.randint(int(criterion.max_points), int(criterion.max_points) * 2)
            scores.append(Score(assignment=assignment, criterion=criterion,
                                points=Decimal(halves) / 2))
    Score.objects.bulk_create(scores, batch_size=5000)
    Assignment.objects.filter(round=evaluation_round).update(
        conflict="none", submitted_at=now)
    return evaluation_round, assign_seconds, len(scores), (floor_before, floor_after)


def unassign(evaluation_round):
    """Undo one automatic assignment: the round's assignments with their audit rows, the
    applications' state changes and statuses; then vacuum, so each run meets the same tables."""
    from applications.enums import ApplicationStatus
    from applications.models import Application, StateChange
    from reviews.models import Assignment, ReviewEvent

    applications = Application.objects.filter(call_id=evaluation_round.call_id)
    ReviewEvent.objects.filter(assignment__round=evaluation_round).delete()
    Assignment.objects.filter(round=evaluation_round)._raw_delete(connection.alias)
    StateChange.objects.filter(application__in=applications)._raw_delete(connection.alias)
    applications.filter(status=ApplicationStatus.UNDER_REVIEW).update(
        status=ApplicationStatus.ELIGIBLE)
    vacuum()


def vacuum():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 2000
    per_application = int(args[1]) if len(args) > 1 else 5
    from reviews import scoring
    from reviews.matrix import score_matrix
    from reviews.selectors import call_scores

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        evaluation_round, assign_seconds, score_count, floors = populate(count,
                                                                         per_application)
        floor_seconds = min(floors)
        print(f"database: {connection.vendor}")
        print(f"applications: {count}, reviewers each: {per_application}, "
              f"scores: {score_count}")
        print(f"floor (1,000 × SELECT 1 and a fixed Python loop, bench/floor.py): "
              f"{floors[0] * 1000:.0f} ms before, {floors[1] * 1000:.0f} ms after")
        print(f"auto_assign ({count} × {per_application} from 40 reviewers, committed): "
              f"{assign_seconds * 1000:.0f} ms median of 3 = "
              f"{assign_seconds / floor_seconds:.1f}× the floor (target ≤ 5 s, issue 16)")
        if "--assign-only" in sys.argv:
            return
        call = evaluation_round.call
        connection.queries_log.clear()  # a full log would hide the count (it keeps 9,000)
        with CaptureQueriesContext(connection) as scores_queries:
            results = call_scores(call)
        _results, scores_seconds = timed(lambda: call_scores(call))
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as matrix_queries:
            score_matrix(evaluation_round)
        _matrix, matrix_seconds = timed(lambda: score_matrix(evaluation_round), repeat=3)

        totals = [result.totals for result in results]
        _finals, pure_seconds = timed(
            lambda: [scoring.final_score(t, Decimal("3")) for t in totals])
        print(f"call_scores: {scores_seconds * 1000:.1f} ms median, "
              f"{len(scores_queries.captured_queries)} queries")
        print(f"score_matrix: {matrix_seconds * 1000:.1f} ms median, "
              f"{len(matrix_queries.captured_queries)} queries")
        print(f"scoring.final_score over {len(totals)} applications: "
              f"{pure_seconds * 1000:.2f} ms median")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
