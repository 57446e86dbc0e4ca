import factory
from django.utils import timezone

from applications import models
from applications.enums import ApplicationStatus, MembershipRole
from tests.factories.portal import UserFactory
from tests.factories.programs import RegionFactory, TrackFactory

# Valid numbers (check digit per DOMAIN.md §4), for factories that need many distinct ones.
VALID_REGISTRATION_NUMBERS = ["1248100998", "1208147521", "2208162517"]


def registration_number(n: int) -> str:
    """The n-th valid business registration number of a deterministic sequence."""
    from applications.validators import WEIGHTS

    body = f"{100000000 + n * 7919:09d}"[-9:]
    d = [int(c) for c in body]
    total = sum(di * wi for di, wi in zip(d, WEIGHTS, strict=False)) + (d[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Company

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
        model = models.Membership

    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory)
    role = MembershipRole.OWNER


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Supplier

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
