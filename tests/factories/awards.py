"""Scored applications with real reviews (so ``reviews.selectors.call_scores`` ranks them) and
plan versions, for award runs; and the award models themselves."""

from datetime import timedelta
from itertools import count

import factory
from django.utils import timezone

from applications.enums import ApplicationStatus
from awards import models
from awards.enums import Outcome
from programs.models import Call, EvaluationRound
from reviews.selectors import scoring_round
from tests.factories.applications import (
    ApplicationFactory,
    BusinessPlanFactory,
    MembershipFactory,
    PlanVersionFactory,
)
from tests.factories.portal import UserFactory
from tests.factories.reviews import (
    EvaluationRoundFactory,
    ReviewerProfileFactory,
    submitted_review,
)

_receipts = count(1)


def close_call(call: Call) -> Call:
    """Move ``call``'s window into the past: its applications can be awarded."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(opens_at=now - timedelta(days=60),
                                           closes_at=now - timedelta(days=1))
    call.refresh_from_db()
    return call


def reviewers(n=3):
    return [ReviewerProfileFactory() for _ in range(n)]


def scoring_round_of(call) -> EvaluationRound:
    return scoring_round(call) or EvaluationRoundFactory(call=call)


def scored_application(track, *, cost, totals=(85,), in_kind=0, company=None,
                       panel=None, evaluation_round=None, submitted_at=None, member=None,
                       status=ApplicationStatus.SCORED):
    """An application of ``track`` in ``status`` (scored by default) with a plan version
    costing ``cost`` won and one submitted review per total in ``totals``."""
    evaluation_round = evaluation_round or scoring_round_of(track.call)
    extra = {"company": company} if company is not None else {}
    application = ApplicationFactory(
        track=track, call=track.call, status=status,
        submitted_at=submitted_at or timezone.now() - timedelta(days=10),
        receipt_number=f"{track.call.code}-{next(_receipts):05d}", **extra)
    BusinessPlanFactory(application=application, cost_software=cost, cost_hardware=0,
                        cost_consulting=0, contribution_in_kind=in_kind,
                        contribution_cash=max(cost - in_kind, 0))
    PlanVersionFactory(application=application, total_cost=cost, requested_support=0,
                       data={"plan": {"total_cost": cost,
                                      "contribution_cash": max(cost - in_kind, 0),
                                      "contribution_in_kind": in_kind}})
    panel = panel or reviewers(len(totals))
    for total, reviewer in zip(totals, panel, strict=False):
        submitted_review(application, evaluation_round, total, reviewer=reviewer)
    if member is not None:
        MembershipFactory(company=application.company, user=member)
    return application


class AwardRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AwardRun

    call = factory.SubFactory("tests.factories.programs.CallFactory")
    started_by = factory.SubFactory(UserFactory, is_staff=True)


class ResultLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ResultLine

    run = factory.SubFactory(AwardRunFactory)
    application = factory.SubFactory(ApplicationFactory, submitted=True)
    track = factory.SelfAttribute("application.track")
    position = factory.Sequence(lambda n: n + 1)
    outcome = Outcome.SELECTED
    rank = 1
    track_size = 1
    final_score = "85.00"
    project_cost = 100_000_000
    eligible_cost = 100_000_000
    provincial = 30_000_000
    municipal = 30_000_000
    contribution_cash = 40_000_000
    contribution_in_kind = 0
