"""The demo company and its submitted application (README's company account).

Loaded by ``manage.py load_demo`` after the programmes and the demo accounts. Idempotent:
the company is found by its registration number and the application by company and call, so
a second run changes nothing. The application goes through the same services as a real one
(``submit_application``), so it has a frozen version, receipt number 2025-GB-0001 and its
audit row.
"""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from companies.enums import MembershipRole
from companies.models import Company, Membership
from portal.models import User
from programs.enums import TrackKind
from programs.models import Call, Region

from . import services
from .enums import ApplicationStatus
from .models import Application

DEMO_EMAIL = "company@demo.smartfactory.kr"
DEMO_REGISTRATION_NUMBER = "1248100998"


def pdf_bytes(title: str = "document") -> bytes:
    """A small valid one-page PDF (ASCII text) for demo and test documents."""
    text = "".join(c if c.isascii() and c not in "()\\" else "?" for c in title)
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


PLAN = {
    "company_overview": "데모식품은 2003년 경상북도 안동에 설립된 전통 장류(된장·고추장) 제조 "
                        "기업입니다. 직원 32명, 연 매출 48억 원이며 대형 유통사와 수출 "
                        "거래처에 납품합니다.",
    "current_production": "원료 세척·증자·발효·숙성·포장의 5개 공정을 운영하며 발효실 온도와 "
                          "습도를 작업자가 하루 세 번 수기로 기록합니다.",
    "production_problems": "발효 온도 편차로 제품 불량률이 3.5%에 이르고, 생산 이력을 "
                           "추적하기 어려워 HACCP 대응과 납기 관리에 시간이 많이 듭니다.",
    "systems": "발효실 온·습도 IoT 센서, 생산관리시스템(MES), 스마트 HACCP 모니터링, "
               "포장 라인 비전 검사 장비를 도입합니다.",
    "supplier_name": "한국스마트솔루션",
    "supplier_registration_number": "2208162517",
    "cost_software": 45_000_000,
    "cost_hardware": 35_000_000,
    "cost_consulting": 10_000_000,
    "cost_other": 0,
    # Support on the basic track: 30% + 30% of 90,000,000 = 54,000,000; the company pays
    # 36,000,000, 20,000,000 of it in cash (at least 50% required).
    "contribution_cash": 20_000_000,
    "contribution_in_kind": 16_000_000,
    "kpis": [
        {"code": "productivity", "baseline": "120", "target": "150"},
        {"code": "defect_rate", "baseline": "3.5", "target": "1.2"},
        {"code": "cost", "baseline": "1800", "target": "1550"},
        {"code": "lead_time", "baseline": "10", "target": "7"},
    ],
    "schedule_notes": "1개월 차 설계·공급기업 협약, 2~3개월 차 구축, 4개월 차 시범 운영과 "
                      "성과 측정.",
}


@transaction.atomic
def load():
    user = User.objects.filter(email=DEMO_EMAIL).first()
    call = Call.objects.filter(code="2025-GB").first()
    if user is None or call is None:
        return None
    company, _ = Company.objects.get_or_create(
        registration_number=DEMO_REGISTRATION_NUMBER,
        defaults=dict(name="데모식품", representative="김데모",
                      address="경상북도 안동시 풍산읍 산업단지길 12",
                      region=Region.objects.get(code="GB"), ksic_code="C10", is_sme=True,
                      employees=32, revenue=4_800_000_000, prior_support=False))
    Membership.objects.get_or_create(user=user, defaults={"company": company,
                                                          "role": MembershipRole.OWNER})
    if Application.objects.filter(company=company, call=call).exists():
        return company
    track = call.tracks.get(kind=TrackKind.BASIC)
    # Inside the call's window whatever day the data is loaded.
    now = max(call.opens_at + timedelta(hours=1), min(call.closes_at - timedelta(hours=1),
                                                      call.opens_at + timedelta(days=2)))
    application, _ = services.start_application(company, track, user=user, now=now)
    start = now.date() + timedelta(days=30)
    values = {**PLAN, "schedule_start": start,
              "schedule_end": date(start.year + (start.month + 4 > 12),
                                   (start.month + 4 - 1) % 12 + 1, 1)}
    claims = {item: ("스마트공장 지원사업에 처음 신청합니다(사업자등록 이후 수혜 이력 없음)."
                     if item.code == "first-time" else None)
              for item in call.bonus_items.all()}
    revision = services.save_plan(application, values, revision=0, user=user, claims=claims,
                                  now=now)
    for kind in call.required_documents.all():
        upload = ContentFile(pdf_bytes(f"Demo Foods - {kind.code}"), name=f"{kind.code}.pdf")
        services.add_document(application, kind, upload, "application/pdf", user=user, now=now)
    services.submit_application(application, user=user, revision=revision, now=now,
                                notify=False)
    assert application.status == ApplicationStatus.SUBMITTED
    return company
