"""Benchmark of the reviews aggregation (figures, not a test).

    .venv/bin/python bench/reviews_scores.py [applications] [reviewers per application]
        [--profile]

Creates a throwaway test database (``test_<name>`` of DATABASE_URL, dropped at the end), loads
the demo programmes, then for one call: N eligible applications, a committee of 40 reviewers,
automatic assignment of R reviewers each, every review submitted with five criterion scores.
It times automatic assignment, ``call_scores`` (the awards' interface), ``score_matrix`` (the
staff page) and the pure arithmetic of ``reviews.scoring`` on plain values, and counts the
queries of the two selectors. Set DATABASE_URL to PostgreSQL for the figures that matter.
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

    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.runcall(services.auto_assign, evaluation_round,
                         per_application=per_application, actor=staff)
        assign_seconds = time.perf_counter() - start
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
    else:
        _result, assign_seconds = timed(lambda: services.auto_assign(
            evaluation_round, per_application=per_application, actor=staff), repeat=1)

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
    return evaluation_round, assign_seconds, len(scores)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 2000
    per_application = int(args[1]) if len(args) > 1 else 5
    from reviews import scoring
    from reviews.matrix import score_matrix
    from reviews.selectors import call_scores

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        evaluation_round, assign_seconds, score_count = populate(count, per_application)
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
        print(f"database: {connection.vendor}")
        print(f"applications: {count}, reviewers each: {per_application}, "
              f"scores: {score_count}")
        print(f"auto_assign ({count} × {per_application} from 40 reviewers): "
              f"{assign_seconds * 1000:.0f} ms")
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
