from decimal import Decimal

import factory

from applications.enums import ApplicationStatus
from programs.models import Criterion, EvaluationRound
from reviews import models
from reviews.enums import ConflictStatus
from tests.factories.applications import registration_number
from tests.factories.portal import UserFactory, give_totp
from tests.factories.programs import CallFactory

# The demo rubric of DOMAIN.md §5: five criteria summing to 100.
RUBRIC = [("기술적 타당성", 30), ("필요성 및 시급성", 20), ("예산의 적정성", 20),
          ("기대효과", 20), ("지역 연계성", 10)]


class EvaluationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRound
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    kind = EvaluationRound.Kind.DOCUMENT
    order = 1

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        """The demo rubric unless a list of (name, max points) is given (``[]`` for none)."""
        if not create:
            return
        for order, (name, points) in enumerate(RUBRIC if extracted is None else extracted,
                                               start=1):
            Criterion.objects.create(round=obj, name=name, name_en=name, order=order,
                                     max_points=Decimal(points))


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReviewerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.Sequence(lambda n: f"평가대학교 {n}")
    # A range far from the companies' (CompanyFactory) and suppliers' (50_000+) numbers.
    organisation_registration_number = factory.Sequence(
        lambda n: registration_number(90_000 + n))

    @factory.post_generation
    def calls(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.calls.set(extracted)

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        """Reviewers get an authenticator app, as the portal requires (``two_factor=False``:
        a reviewer who has not enrolled yet)."""
        if create and extracted is not False:
            give_totp(obj.user)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Assignment

    round = factory.SubFactory(EvaluationRoundFactory)
    application = factory.SubFactory(
        "tests.factories.applications.ApplicationFactory", submitted=True,
        status=ApplicationStatus.UNDER_REVIEW, track__call=factory.SelfAttribute("...round.call"),
        track__order=factory.Sequence(lambda n: 1000 + n))  # clear of the demo tracks' orders
    reviewer = factory.SubFactory(ReviewerProfileFactory)
    conflict = ConflictStatus.NONE


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Score

    assignment = factory.SubFactory(AssignmentFactory)
    criterion = factory.LazyAttribute(lambda o: o.assignment.round.criteria.first())
    points = Decimal("10")


def points_for_total(total, maxima, first=None) -> list[Decimal]:
    """Points per criterion adding up to ``total``: ``first`` on the first criterion (or as much
    as it takes), the rest filled in order up to each maximum."""
    total = Decimal(total)
    points = []
    remaining = total
    for index, maximum in enumerate(maxima):
        share = Decimal(first) if index == 0 and first is not None else min(maximum, remaining)
        points.append(share)
        remaining -= share
    assert remaining == 0 and all(0 <= p <= m for p, m in zip(points, maxima, strict=True)), (
        f"{total} cannot be split over {maxima} with {first} first")
    return points


def submitted_review(application, evaluation_round, total, *, first=None, reviewer=None,
                     submitted=True, **fields):
    """An assignment of ``application`` whose scores add up to ``total``, submitted by default."""
    from django.utils import timezone

    criteria = list(evaluation_round.criteria.order_by("order", "pk"))
    assignment = AssignmentFactory(
        round=evaluation_round, application=application,
        reviewer=reviewer or ReviewerProfileFactory(),
        submitted_at=timezone.now() if submitted else None, **fields)
    points = points_for_total(total, [c.max_points for c in criteria], first)
    models.Score.objects.bulk_create(
        models.Score(assignment=assignment, criterion=criterion, points=p)
        for criterion, p in zip(criteria, points, strict=True))
    return assignment
