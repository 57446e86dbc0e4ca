"""What the review page tests share: the demo round, a reviewable application with its plan
and document, form data for a score, a signed-in client, a matrix of scored applications."""

from decimal import Decimal

from django.core.files.base import ContentFile
from django.test import Client

from applications.enums import ApplicationStatus
from applications.models import Document
from programs.models import DocumentType, EvaluationRound
from tests.factories.applications import (
    ApplicationFactory,
    BusinessPlanFactory,
    PlanVersionFactory,
)
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory, submitted_review

D = Decimal


def demo_round(code="2025-GB"):
    return EvaluationRound.objects.select_related("call").get(call__code=code)


def reviewable_application(evaluation_round, *, status=ApplicationStatus.UNDER_REVIEW,
                           supplier=None):
    call = evaluation_round.call
    application = ApplicationFactory(call=call, track=call.tracks.order_by("order").last(),
                                     submitted=True, status=status)
    BusinessPlanFactory(application=application, supplier=supplier)
    document = Document.objects.create(
        application=application,
        document_type=DocumentType.objects.get(code="business-registration"),
        file=ContentFile(b"%PDF-1.4 test", name="brc.pdf"), original_name="사업자등록증.pdf",
        content_type="application/pdf", size=13)
    PlanVersionFactory(application=application, number=1, data={
        "plan": {"company_overview": "장류 제조 기업", "systems": "MES 도입",
                 "supplier_name": supplier.name if supplier else "",
                 "cost_software": 50_000_000, "kpis": [
                     {"code": "productivity", "baseline": "120", "target": "150"}]},
        "documents_ids": [document.pk]})
    return application


def points_data(evaluation_round, values, comments=None, action="save"):
    criteria = list(evaluation_round.criteria.order_by("order"))
    data = {action: "1"}
    for index, criterion in enumerate(criteria):
        data[f"points_{criterion.pk}"] = values[index]
        data[f"comment_{criterion.pk}"] = (comments or [""] * len(criteria))[index]
    return data


def client_for(user, language="en"):
    """A signed-in client whose pages and messages are in ``language`` (English by default,
    to compare them with the source text)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def matrix_setup(count):
    evaluation_round = demo_round()
    reviewers = [ReviewerProfileFactory(user=UserFactory(full_name=f"위원{n}")) for n in range(3)]
    applications = []
    for index in range(count):
        application = reviewable_application(evaluation_round)
        for reviewer, total in zip(reviewers, (80, 70, 75), strict=True):
            submitted_review(application, evaluation_round, total - index, reviewer=reviewer)
        applications.append(application)
    return evaluation_round, applications
