"""Demo data for the award flow: the Jeonbuk call with scored applications.

Loaded by ``manage.py load_demo`` after the reviewers (it needs the demo reviewer accounts),
so that ``make run`` shows the whole flow at once: ministry staff start an award run for
Jeonbuk, read the preview (the 2,000,000,000 national line funds 10 of the 20 advanced
places; the other advanced applicants are waitlisted), confirm it, and the notices are
generated on the spot (eager tasks). The account ``company-jb@demo.smartfactory.kr`` is a
member of the first company and downloads its notice from the dashboard.

The call stays open, as every demo call is (the staff pages say that a run now leaves out
anything submitted later). Idempotent: nothing happens once the first demo company exists.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application, BusinessPlan, PlanVersion, StateChange
from applications.selectors import support_for
from applications.services import allocate_receipt_number
from companies.enums import MembershipRole
from companies.models import Company, Membership
from companies.validators import WEIGHTS
from portal.demo_users import DEMO_PASSWORD, ensure_user
from programs.models import Call, EvaluationRound
from reviews.enums import ConflictStatus
from reviews.models import Assignment, ReviewerProfile, Score

MEMBER_EMAIL = "company-jb@demo.smartfactory.kr"
REVIEWER_EMAILS = ["reviewer1@demo.smartfactory.kr", "reviewer2@demo.smartfactory.kr",
                   "reviewer3@demo.smartfactory.kr"]
NAMES = ["한빛농식품", "새벽바이오", "들녘푸드", "모악식품", "만경영농조합", "순창발효",
         "고창복분자", "진안홍삼", "무주산채", "부안젓갈", "김제미곡", "익산할랄푸드",
         "완주로컬푸드", "정읍한우가공", "남원추어", "임실치즈공방", "장수사과가공",
         "군산맥아", "전주비빔소스", "봉동생강"]
# (track order, project cost, reviewer totals)
APPLICANTS = (
    [(1, 400_000_000, (92 - i, 90 - i, 91 - i)) for i in range(13)]
    + [(2, cost, totals) for cost, totals in [
        (100_000_000, (88, 86, 87)), (90_000_000, (85, 84, 86)), (120_000_000, (83, 82, 81)),
        (80_000_000, (80, 79, 78)), (100_000_000, (77, 76, 78)), (70_000_000, (74, 73, 75)),
        (100_000_000, (68, 66, 67))]]
)


def registration_number(n: int) -> str:
    body = f"{461000000 + n * 7919:09d}"[-9:]
    digits = [int(c) for c in body]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=False)) + (digits[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


def points(criteria, total) -> list[Decimal]:
    """A reviewer's ``total`` split over the criteria in proportion to their maxima, to the
    half point, the last criterion taking what makes the sum exact."""
    maxima = [Decimal(criterion.max_points) for criterion in criteria]
    whole = sum(maxima)
    shares = [(maximum * Decimal(total) / whole * 2).quantize(Decimal("1"),
                                                              rounding=ROUND_HALF_UP) / 2
              for maximum in maxima[:-1]]
    return [*shares, Decimal(total) - sum(shares)]


@transaction.atomic
def load():
    call = Call.objects.filter(code="2025-JB").first()
    reviewers = list(ReviewerProfile.objects.filter(user__email__in=REVIEWER_EMAILS)
                     .order_by("user__email"))
    if call is None or len(reviewers) < len(REVIEWER_EMAILS):
        return None
    if Company.objects.filter(registration_number=registration_number(0)).exists():
        return call
    # Submitted in the window's first hours, reviewed two days later.
    reviewed_at = min(call.opens_at + timedelta(days=2), timezone.now())
    evaluation_round = EvaluationRound.objects.filter(call=call).order_by("order").first()
    criteria = list(evaluation_round.criteria.order_by("order", "pk"))
    tracks = {track.order: track for track in call.tracks.all()}
    member = ensure_user(MEMBER_EMAIL, "한빛농식품 대표", password=DEMO_PASSWORD)
    for n, (order, cost, totals) in enumerate(APPLICANTS):
        company = Company.objects.create(
            name=NAMES[n % len(NAMES)] + ("" if n < len(NAMES) else f" {n}"),
            registration_number=registration_number(n), representative="김전북",
            address="전북특별자치도 전주시 덕진구 농생명로 1", region=call.region,
            ksic_code="C10", is_sme=True, employees=15 + n, revenue=2_000_000_000 + n * 10**8)
        if n == 0:
            Membership.objects.get_or_create(user=member, defaults={
                "company": company, "role": MembershipRole.OWNER})
        submitted_at = call.opens_at + timedelta(hours=2, minutes=n)
        application = Application.objects.create(
            call=call, track=tracks[order], company=company, status=ApplicationStatus.SCORED,
            receipt_number=allocate_receipt_number(call), submitted_at=submitted_at)
        in_kind = cost // 10
        BusinessPlan.objects.create(
            application=application, company_overview=f"{company.name}: 농식품 가공 기업",
            systems="MES, 공정 데이터 수집", cost_software=cost // 2, cost_hardware=cost // 2,
            contribution_cash=cost // 5, contribution_in_kind=in_kind)
        PlanVersion.objects.create(
            application=application, number=1, total_cost=cost,
            requested_support=support_for(tracks[order], cost).total,  # as a submission has
            data={"plan": {"total_cost": cost, "contribution_cash": cost // 5,
                           "contribution_in_kind": in_kind}})
        for reviewer, total in zip(reviewers, totals, strict=True):
            assignment = Assignment.objects.create(
                round=evaluation_round, application=application, reviewer=reviewer,
                conflict=ConflictStatus.NONE, conflict_answered_at=reviewed_at,
                submitted_at=reviewed_at)
            Score.objects.bulk_create(
                Score(assignment=assignment, criterion=criterion, points=value)
                for criterion, value in zip(criteria, points(criteria, total), strict=True))
        StateChange.objects.create(application=application,
                                   from_status=ApplicationStatus.UNDER_REVIEW,
                                   to_status=ApplicationStatus.SCORED,
                                   reason="데모 데이터: 평가 완료")
    EvaluationRound.objects.filter(pk=evaluation_round.pk, locked_at__isnull=True).update(
        locked_at=reviewed_at)
    return call
