from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from programs import models
from programs.enums import AnnouncementStatus, FundingSource, TrackKind


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"지역{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")
    agency = "테크노파크"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"사업 {n}")
    year = 2025


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Call

    programme = factory.SubFactory(ProgrammeFactory)
    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"2025-T{n}")
    title = factory.Sequence(lambda n: f"시험 공모 {n}")
    sector = "식품제조업"
    sector_en = "Food manufacturing"
    ksic_codes = factory.LazyFunction(lambda: ["C10", "C11"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    total_budget = 1_000_000_000


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Track

    call = factory.SubFactory(CallFactory)
    kind = TrackKind.BASIC
    name = "기초"
    name_en = "Basic"
    order = factory.Sequence(lambda n: n + 1)
    target_count = 10
    max_project_cost = 100_000_000


class FundingShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FundingShare

    track = factory.SubFactory(TrackFactory)
    source = FundingSource.PROVINCIAL
    rate = Decimal("0.30")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BudgetLine

    call = factory.SubFactory(CallFactory)
    source = FundingSource.NATIONAL
    amount = 1_000_000_000


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Announcement

    call = factory.SubFactory(CallFactory)
    title = factory.Sequence(lambda n: f"공고 {n}")
    body = "## 개요\n\n본문"
    status = AnnouncementStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=AnnouncementStatus.DRAFT, published_at=None)
