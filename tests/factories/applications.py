import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from applications import models
from applications.demo import pdf_bytes
from applications.enums import ApplicationStatus
from companies import models as company_models
from companies.enums import MembershipRole
from programs.models import BonusItem, DocumentType
from tests.factories.portal import UserFactory
from tests.factories.programs import RegionFactory, TrackFactory

# Valid numbers (check digit per DOMAIN.md §4), for factories that need many distinct ones.
VALID_REGISTRATION_NUMBERS = ["1248100998", "1208147521", "2208162517"]


def registration_number(n: int) -> str:
    """The n-th valid business registration number of a deterministic sequence."""
    from companies.validators import WEIGHTS

    body = f"{100000000 + n * 7919:09d}"[-9:]
    d = [int(c) for c in body]
    total = sum(di * wi for di, wi in zip(d, WEIGHTS, strict=False)) + (d[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = company_models.Company

    name = factory.Sequence(lambda n: f"시험식품 {n}")
    registration_number = factory.Sequence(registration_number)
    representative = "홍길동"
    address = "경상북도 포항시 남구 1"
    region = factory.SubFactory(RegionFactory, code="GB", name="경상북도", name_en="Gyeongbuk")
    ksic_code = "C10"
    is_sme = True
    employees = 25
    revenue = 3_000_000_000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = company_models.Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.OWNER


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = company_models.Supplier

    name = factory.Sequence(lambda n: f"스마트솔루션 {n}")
    registration_number = factory.Sequence(lambda n: registration_number(50_000 + n))
    specialties = "MES"
    industries = "식품"
    approved = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Application

    track = factory.SubFactory(TrackFactory)
    call = factory.SelfAttribute("track.call")
    company = factory.SubFactory(CompanyFactory)
    status = ApplicationStatus.DRAFT

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            receipt_number=factory.Sequence(lambda n: f"T-{n:05d}"),
        )


class BusinessPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BusinessPlan

    application = factory.SubFactory(ApplicationFactory)
    company_overview = "식품 제조 기업"
    current_production = "수작업 중심 생산"
    production_problems = "불량률이 높음"
    systems = "MES 도입"
    cost_software = 50_000_000
    cost_hardware = 30_000_000
    cost_consulting = 10_000_000
    cost_other = 0


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanVersion

    application = factory.SubFactory(ApplicationFactory, submitted=True)
    number = 1
    data = factory.LazyFunction(dict)
    total_cost = 90_000_000
    requested_support = 54_000_000


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = company_models.Invitation

    company = factory.SubFactory(CompanyFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    invited_by = factory.SubFactory(UserFactory)


class BonusClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BonusClaim

    application = factory.SubFactory(ApplicationFactory)
    bonus_item = factory.LazyAttributeSequence(lambda o, n: BonusItem.objects.create(
        call=o.application.call, code=f"bonus-{n}", name=f"가점 {n}", points=Decimal("3")))
    evidence = "수출 실적 증명서 제출"


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Document

    application = factory.SubFactory(ApplicationFactory)
    document_type = factory.LazyFunction(lambda: DocumentType.objects.get_or_create(
        code="business-registration",
        defaults={"name": "사업자등록증", "name_en": "Business registration certificate"})[0])
    file = factory.LazyAttribute(
        lambda o: ContentFile(pdf_bytes(o.original_name), name=o.original_name))
    original_name = "사업자등록증.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: len(pdf_bytes(o.original_name)))


# A plan that passes every step on a basic track (prov 30% + muni 30%, cap 70,000,000):
# total 90,000,000 → support 54,000,000, contribution 36,000,000 (cash ≥ 18,000,000).
COMPLETE_KPIS = [
    {"code": "productivity", "baseline": "120", "target": "150"},
    {"code": "defect_rate", "baseline": "3.5", "target": "1.5"},
    {"code": "cost", "baseline": "1000", "target": "850"},
    {"code": "lead_time", "baseline": "7", "target": "5"},
]


def complete_plan_values(total_support: int = 54_000_000) -> dict:
    contribution = 90_000_000 - total_support
    cash = contribution - contribution // 4
    return {
        "company_overview": "1998년 설립한 전통 장류 제조 기업입니다.",
        "current_production": "수작업 중심의 발효·포장 공정",
        "production_problems": "발효 온도 관리가 수기로 이루어져 불량률이 높습니다.",
        "systems": "MES와 발효조 온도 모니터링 센서",
        "supplier_name": "스마트솔루션",
        "supplier_registration_number": "2208162517",
        "cost_software": 50_000_000,
        "cost_hardware": 30_000_000,
        "cost_consulting": 10_000_000,
        "cost_other": 0,
        "contribution_cash": cash,
        "contribution_in_kind": contribution - cash,
        "kpis": COMPLETE_KPIS,
        "schedule_start": datetime.date(2025, 10, 1),
        "schedule_end": datetime.date(2026, 3, 31),
        "schedule_notes": "10월 설계, 11월 구축, 12월 시범 운영",
    }


def make_complete_application(track, *, company=None, documents=True, **kwargs):
    """A draft on ``track`` (a basic track of the demo data, say) whose plan and documents
    are complete, ready to submit."""
    company = company or CompanyFactory(region=track.call.region or RegionFactory(code="GB"))
    application = ApplicationFactory(track=track, call=track.call, company=company, **kwargs)
    BusinessPlanFactory(application=application, **complete_plan_values())
    if documents:
        for kind in track.call.required_documents.all():
            DocumentFactory(application=application, document_type=kind,
                            original_name=f"{kind.code}.pdf")
    return application
