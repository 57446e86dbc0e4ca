"""Demo programmes of ../shared/DOMAIN.md §2, every seed figure exact.

Loaded by ``manage.py load_demo``. Idempotent: rows are found by their natural keys and only
created when missing, so a second run changes nothing. Windows are relative to today: a demo
call whose window is not open any more (a database loaded months ago) is moved to open today.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.timezone import SEOUL

from .enums import AnnouncementStatus, CallStatus, FundingSource, TrackKind
from .models import (
    Announcement,
    BonusItem,
    BudgetLine,
    Call,
    Criterion,
    DocumentType,
    EvaluationRound,
    Event,
    FundingShare,
    LinkedProgramme,
    Programme,
    Region,
    Track,
)

NAT, PROV, MUNI = FundingSource.NATIONAL, FundingSource.PROVINCIAL, FundingSource.MUNICIPAL

REGIONS = [
    # code, name, English, operating agency, English, phone, email
    ("GB", "경상북도", "Gyeongbuk", "경북테크노파크", "Gyeongbuk Technopark", "054-000-1001",
     "smartfactory@gbtp.example.kr"),
    ("JN", "전라남도", "Jeonnam", "전남테크노파크", "Jeonnam Technopark", "061-000-1002",
     "smartfactory@jntp.example.kr"),
    ("JB", "전북특별자치도", "Jeonbuk", "전북테크노파크", "Jeonbuk Technopark", "063-000-1003",
     "smartfactory@jbtp.example.kr"),
]

PROGRAMMES = [
    ("regional-2025", "지역특화 스마트공장 구축지원사업", "Regional Specialized Smart Factory "
     "Construction Support", 2025,
     "중소벤처기업부와 3개 지방자치단체가 함께 운영합니다. 국비 60억 원(지역별 20억 원)은 "
     "고도화 단계를, 지방비 104억 5천만 원은 기초 단계와 지역특화 연계사업을 지원합니다. "
     "총 164억 5천만 원, 구축비의 50~80%를 지원합니다.",
     "Run jointly by the Ministry of SMEs and Startups and three local governments. The "
     "ministry funds the advanced stage with KRW 6,000,000,000 (2,000,000,000 per region); "
     "local governments match KRW 10,450,000,000 for the basic stage and regional specialised "
     "programmes. KRW 16,450,000,000 in all; companies receive 50–80% of construction costs."),
    ("cluster-2025", "스마트공장 클러스터 지원사업", "Smart Factory Cluster Support", 2025,
     "유사한 생산공정을 가진 5개 이상 기업이 클러스터를 이루어 하나의 공급기업으로부터 "
     "스마트공장 시스템을 공동 구축합니다. 기업별 구축비의 50%, 최대 4천만 원을 지원합니다.",
     "Five or more companies with similar production processes form a cluster and buy one "
     "smart-factory system from one supplier: 50% of each company's cost, at most "
     "KRW 40,000,000 per company."),
]

DOCUMENT_TYPES = [
    ("business-registration", "사업자등록증", "Business registration certificate"),
    ("financial-statements", "최근 재무제표", "Latest financial statements"),
    ("sme-confirmation", "중소기업확인서", "SME confirmation"),
    ("factory-registration", "공장등록증명서", "Factory registration certificate"),
]

FOOD = ("식품제조업", "Food manufacturing")
AGRI_BIO = ("농생명바이오", "Agricultural life bio")
MANUFACTURING_KSIC = [f"C{n}" for n in range(10, 35)]

ADVANCED_SHARES = [(NAT, "0.50", 200_000_000), (PROV, "0.15", None), (MUNI, "0.15", None)]
BASIC_SHARES = [(PROV, "0.30", None), (MUNI, "0.30", None)]

# code, region, programme, title, title_en, sector, ksic, total, budget lines, tracks, linked
CALLS = [
    {
        "code": "2025-GB", "region": "GB", "programme": "regional-2025",
        "title": "2025년 경상북도 지역특화 스마트공장 구축지원사업",
        "title_en": "2025 Gyeongbuk Regional Specialized Smart Factory Support",
        "sector": FOOD, "ksic": ["C10", "C11"], "total": 4_000_000_000,
        "lines": [(NAT, 2_000_000_000), (PROV, 1_000_000_000), (MUNI, 1_000_000_000)],
        "tracks": [
            (TrackKind.ADVANCED, "고도화", "Advanced", 10, 400_000_000, None, ADVANCED_SHARES),
            (TrackKind.BASIC, "기초", "Basic", 40, 100_000_000, 70_000_000, BASIC_SHARES),
        ],
        "linked": [("협력 네트워크", "Cooperative networks"),
                   ("기술 컨설팅", "Technical consulting"),
                   ("인증 평가", "Certification evaluation"),
                   ("정책자금", "Policy funds"), ("마케팅", "Marketing"),
                   ("수출 역량 강화", "Export capability")],
    },
    {
        "code": "2025-JN", "region": "JN", "programme": "regional-2025",
        "title": "2025년 전라남도 지역특화 스마트공장 구축지원사업",
        "title_en": "2025 Jeonnam Regional Specialized Smart Factory Support",
        "sector": FOOD, "ksic": ["C10", "C11"], "total": 5_750_000_000,
        "lines": [(NAT, 2_000_000_000), (PROV, 1_875_000_000), (MUNI, 1_875_000_000)],
        "tracks": [
            (TrackKind.ADVANCED, "고도화(품질검사 장비)", "Advanced (quality inspection equipment)",
             10, 400_000_000, None, ADVANCED_SHARES),
            (TrackKind.BASIC, "기초(스마트 HACCP)", "Basic (smart HACCP)", 30, 100_000_000,
             70_000_000, BASIC_SHARES),
            (TrackKind.ROBOTS, "제조 로봇·장비", "Robots and equipment", 5, 200_000_000,
             100_000_000, [(PROV, "0.25", None), (MUNI, "0.25", None)]),
        ],
        "linked": [("제조 로봇·장비 지원", "Manufacturing robots and equipment")],
    },
    {
        "code": "2025-JB", "region": "JB", "programme": "regional-2025",
        "title": "2025년 전북특별자치도 지역특화 스마트공장 구축지원사업",
        "title_en": "2025 Jeonbuk Regional Specialized Smart Factory Support",
        "sector": AGRI_BIO, "ksic": ["C10", "C11", "C20", "C21"], "total": 6_700_000_000,
        "lines": [(NAT, 2_000_000_000), (PROV, 2_350_000_000), (MUNI, 2_350_000_000)],
        "tracks": [
            (TrackKind.ADVANCED, "고도화(농식품)", "Advanced (agri-food)", 20, 400_000_000, None,
             [(NAT, "0.50", 200_000_000), (PROV, "0.20", 80_000_000)]),
            (TrackKind.BASIC, "기초", "Basic", 15, 100_000_000, 70_000_000, BASIC_SHARES),
        ],
        "linked": [("기술사업화", "Technology commercialisation"),
                   ("신제품 개발", "New product development"), ("마케팅", "Marketing"),
                   ("수출 인증", "Export certification"),
                   ("스마트 HACCP 교육·컨설팅", "Smart HACCP education and consulting")],
    },
    {
        "code": "2025-CL", "region": None, "programme": "cluster-2025",
        "title": "2025년 스마트공장 클러스터 지원사업",
        "title_en": "2025 Smart Factory Cluster Support",
        "sector": ("제조업", "Manufacturing"), "ksic": MANUFACTURING_KSIC, "total": 3_000_000_000,
        "lines": [(NAT, 3_000_000_000)],
        "tracks": [
            (TrackKind.CLUSTER, "클러스터 참여기업", "Cluster member", None, None, 40_000_000,
             [(NAT, "0.50", 40_000_000)]),
        ],
        "linked": [],
    },
]

RUBRIC = [
    ("기술적 타당성", "Technical feasibility", 30),
    ("필요성 및 시급성", "Need and urgency", 20),
    ("예산의 적정성", "Budget appropriateness", 20),
    ("기대효과(생산성·품질·원가·납기)", "Expected effect (productivity, quality, cost, delivery)",
     20),
    ("지역 연계성", "Regional linkage", 10),
]

BONUS_ITEMS = [
    ("regulation", "정부 규제·정책 변화 피해 기업",
     "Hurt by government regulation or policy change"),
    ("exporter", "수출 기업", "Exporter"),
    ("smart-haccp", "스마트 HACCP 도입 계획", "Smart HACCP adoption plan"),
    ("first-time", "스마트공장 최초 신청 기업", "First-time applicant"),
]


def demo_window(today=None):
    """Opens a week before today, closes 60 days after (18:00 Korea time): always open."""
    today = today or timezone.localdate(timezone=SEOUL)
    opens = datetime.combine(today - timedelta(days=7), time(9, 0), tzinfo=SEOUL)
    closes = datetime.combine(today + timedelta(days=60), time(18, 0), tzinfo=SEOUL)
    return opens, closes


def announcement_body(call: Call, spec) -> tuple[str, str]:
    tracks = "\n".join(f"- **{t[1]}**" + (f": {t[3]}개사" if t[3] else "") for t in spec["tracks"])
    tracks_en = "\n".join(f"- **{t[2]}**" + (f": {t[3]} companies" if t[3] else "")
                          for t in spec["tracks"])
    body = (
        f"## 사업 개요\n\n{call.programme.description}\n\n## 지원 분야\n\n{tracks}\n\n"
        "## 신청 방법\n\n공고문에 따라 사업계획서를 온라인으로 작성하고 필요 서류를 첨부하여 "
        "마감 전에 신청하십시오. 문의는 지역 운영기관으로 해 주십시오.\n"
    )
    body_en = (
        f"## Overview\n\n{call.programme.description_en}\n\n## Tracks\n\n{tracks_en}\n\n"
        "## How to apply\n\nWrite your business plan online following this announcement, "
        "attach the required documents and apply before the deadline. The regional operating "
        "agency answers inquiries.\n"
    )
    return body, body_en


@transaction.atomic
def load(today=None):
    for code, name, name_en, agency, agency_en, phone, email in REGIONS:
        Region.objects.get_or_create(code=code, defaults=dict(
            name=name, name_en=name_en, agency=agency, agency_en=agency_en,
            inquiry_phone=phone, inquiry_email=email))
    for code, name, name_en, year, description, description_en in PROGRAMMES:
        Programme.objects.get_or_create(code=code, defaults=dict(
            name=name, name_en=name_en, year=year, description=description,
            description_en=description_en))
    documents = [
        DocumentType.objects.get_or_create(code=code, defaults={"name": name, "name_en": en})[0]
        for code, name, en in DOCUMENT_TYPES
    ]
    today = today or timezone.localdate(timezone=SEOUL)
    opens, closes = demo_window(today)
    noon = datetime.combine(today, time(12, 0), tzinfo=SEOUL)
    for spec in CALLS:
        call, created = Call.objects.get_or_create(code=spec["code"], defaults=dict(
            programme=Programme.objects.get(code=spec["programme"]),
            region=Region.objects.get(code=spec["region"]) if spec["region"] else None,
            title=spec["title"], title_en=spec["title_en"],
            sector=spec["sector"][0], sector_en=spec["sector"][1], ksic_codes=spec["ksic"],
            opens_at=opens, closes_at=closes, total_budget=spec["total"],
            rounding_unit=1000, min_cash_share=Decimal("0.5"), cutoff_score=Decimal("70.00"),
        ))
        if not created:
            if call.status(now=noon) != CallStatus.OPEN:
                # A demo loaded long ago: move the window so the call is open today.
                Call.objects.filter(pk=call.pk).update(opens_at=opens, closes_at=closes)
            continue
        call.required_documents.set(documents)
        for source, amount in spec["lines"]:
            BudgetLine.objects.create(call=call, source=source, amount=amount)
        for order, (kind, name, name_en, target, max_cost, total_cap, shares) in enumerate(
                spec["tracks"], start=1):
            track = Track.objects.create(
                call=call, kind=kind, name=name, name_en=name_en, order=order,
                target_count=target, max_project_cost=max_cost, total_cap=total_cap,
                min_members=5 if kind == TrackKind.CLUSTER else None)
            for source, rate, cap in shares:
                FundingShare.objects.create(track=track, source=source, rate=Decimal(rate),
                                            per_company_cap=cap)
        for order, (name, name_en) in enumerate(spec["linked"], start=1):
            LinkedProgramme.objects.create(call=call, name=name, name_en=name_en, order=order)
        evaluation = EvaluationRound.objects.create(call=call, kind=EvaluationRound.Kind.DOCUMENT)
        for order, (name, name_en, points) in enumerate(RUBRIC, start=1):
            Criterion.objects.create(round=evaluation, name=name, name_en=name_en,
                                     max_points=Decimal(points), order=order)
        for order, (code, name, name_en) in enumerate(BONUS_ITEMS, start=1):
            BonusItem.objects.create(call=call, code=code, name=name, name_en=name_en,
                                     points=Decimal("3"), order=order)
        if spec["code"] == "2025-CL":
            Event.objects.create(
                call=call, title="사업 설명회", title_en="Information session",
                starts_at=datetime(2025, 8, 14, 14, 0, tzinfo=SEOUL),
                location="대한상공회의소 본관(서울)",
                location_en="Korea Chamber of Commerce and Industry head office, Seoul")
        body, body_en = announcement_body(call, spec)
        Announcement.objects.create(
            call=call, title=f"{call.title} 공고", title_en=f"Call for applications: "
            f"{call.title_en}", body=body, body_en=body_en,
            status=AnnouncementStatus.PUBLISHED, published_at=opens)


def reset_windows(today=None):
    """Move every demo call's window so that it is open today."""
    opens, closes = demo_window(today)
    codes = [spec["code"] for spec in CALLS]
    return Call.objects.filter(code__in=codes).update(opens_at=opens, closes_at=closes)
