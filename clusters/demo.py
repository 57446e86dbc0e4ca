"""Demo data of the cluster programme: the supplier pool and one cluster being formed.

Loaded by ``manage.py load_demo`` after the programmes and the demo accounts (it creates its
own accounts too, so it runs only when demo accounts are allowed). Idempotent: suppliers and
companies are found by registration number, the cluster by its call and lead company.

The cluster goes through the same services as a real one: ``cluster-lead@demo…`` leads it,
three member companies have accepted and completed their part (one claims the regulation
priority), and ``cluster-member4@demo…`` has an invitation waiting on its dashboard — the
fifth company needed before the lead can submit.
"""

from django.db import transaction

from companies.enums import MembershipRole
from companies.models import Company, Membership, Supplier
from companies.validators import WEIGHTS
from portal.demo_users import ensure_user
from programs.enums import CallStatus
from programs.models import Call, Region
from programs.money import TrackRules, compute_support, minimum_cash

from . import invitations, services
from .models import Cluster

CLUSTER_CALL = "2025-CL"


def with_check_digit(body: str) -> str:
    """A valid 10-digit registration number from its first nine digits (DOMAIN.md §4)."""
    d = [int(c) for c in body]
    total = sum(di * wi for di, wi in zip(d, WEIGHTS, strict=True)) + (d[8] * 5) // 10
    return body + str((10 - total % 10) % 10)


SUPPLIERS = [
    # name, number body, region, specialties, industries, processes, contact, builds, approved
    ("한빛스마트솔루션", "314810021", "GB", "MES, 공정관리, 설비 모니터링", "식품, 음료",
     "배합, 발효, 충전·포장", ("이현수", "sales@hanbit-smart.example.kr", "054-000-2001"), 42,
     True),
    ("누리오토메이션", "414810032", "JN", "협동로봇, 비전검사, 자동 포장", "식품",
     "선별, 검사, 포장", ("정민아", "contact@nuri-auto.example.kr", "061-000-2002"), 27, True),
    ("다온데이터", "214810043", None, "ERP, MES, 데이터 분석", "식품, 화학, 금속가공",
     "생산계획, 품질관리", ("최도윤", "biz@daon-data.example.kr", "02-000-2003"), 63, True),
    ("새봄IoT", "514810054", "JB", "IoT 센서, 에너지 관리", "농생명바이오, 식품",
     "저온 저장, 건조", ("한서연", "hello@saebom-iot.example.kr", "063-000-2004"), 15, True),
    ("미래공정기술", "614810065", "GB", "스마트 HACCP", "식품", "살균, 포장",
     ("오지훈", "info@mirae-process.example.kr", "054-000-2005"), 4, False),
]

COMPANIES = [
    # email, person, company, number body, region, cost, priority evidence
    ("cluster-lead@demo.smartfactory.kr", "한마음장류 대표", "한마음장류", "301810076", "GB",
     90_000_000, ""),
    ("cluster-member1@demo.smartfactory.kr", "청정발효식품 대표", "청정발효식품", "401810087",
     "JN", 60_000_000, "2024년 식품 표시기준 개정으로 포장·표시 설비를 전면 교체해야 했습니다."),
    ("cluster-member2@demo.smartfactory.kr", "바른젓갈 대표", "바른젓갈", "501810098", "JN",
     45_000_000, ""),
    ("cluster-member3@demo.smartfactory.kr", "햇살장류 대표", "햇살장류", "601810019", "JB",
     75_000_000, ""),
    ("cluster-member4@demo.smartfactory.kr", "고향식품 대표", "고향식품", "701810020", "GB",
     None, ""),
]


def load_suppliers():
    regions = {r.code: r for r in Region.objects.all()}
    for (name, body, region, specialties, industries, processes, contact, builds,
         approved) in SUPPLIERS:
        Supplier.objects.get_or_create(
            registration_number=with_check_digit(body),
            defaults=dict(name=name, region=regions.get(region), specialties=specialties,
                          industries=industries, processes=processes,
                          contact_name=contact[0], contact_email=contact[1],
                          contact_phone=contact[2], past_builds=builds, approved=approved))


def company_user(email, person, name, body, region):
    user = ensure_user(email, person)
    company, _created = Company.objects.get_or_create(
        registration_number=with_check_digit(body),
        defaults=dict(name=name, representative=person.removesuffix(" 대표"),
                      address=f"{region.name} 식품산업로 1", region=region, ksic_code="C10",
                      is_sme=True, employees=24, revenue=3_200_000_000))
    Membership.objects.get_or_create(user=user, defaults=dict(company=company,
                                                              role=MembershipRole.OWNER))
    return user, company


@transaction.atomic
def load():
    load_suppliers()
    call = Call.objects.filter(code=CLUSTER_CALL).first()
    if call is None:
        return None
    regions = {r.code: r for r in Region.objects.all()}
    people = [(company_user(email, person, name, body, regions[region]), cost, evidence)
              for email, person, name, body, region, cost, evidence in COMPANIES]
    (lead_user, lead_company), _cost, _evidence = people[0]
    existing = Cluster.objects.filter(call=call, lead_company=lead_company).first()
    if existing is not None or call.status() != CallStatus.OPEN:
        return existing
    cluster = services.open_cluster(
        user=lead_user, call=call, name="경북·전남·전북 장류 발효 클러스터",
        shared_process="원료 세척 → 증자 → 발효·숙성 → 충전·포장. 다섯 회사 모두 발효실 "
                       "온습도를 수기로 관리합니다.",
        supplier=Supplier.objects.get(registration_number=with_check_digit("314810021")),
        supplier_name="", supplier_registration_number="",
        common_system="공동 MES와 발효실 온습도 모니터링",
        system_scope="회사별 발효실 센서, 공동 MES(생산실적·이력 관리), 품질 데이터 대시보드")
    rules = TrackRules.for_track(cluster.track)
    for (user, company), cost, evidence in people:
        if company != lead_company:
            invitation = invitations.invite_member(
                cluster, user=lead_user, registration_number=company.registration_number,
                email=user.email)
            if cost is None:
                continue  # the fifth company's invitation waits on its dashboard
            member = invitations.accept_invitation(invitation, user=user)
        else:
            member = cluster.members.get(company=company)
        support = compute_support(rules, cost)
        cash = minimum_cash(support.contribution, call.min_cash_share)
        services.save_member_part(
            member, user=user, cost=cost, contribution_cash=cash,
            contribution_in_kind=support.contribution - cash, priority_claim=bool(evidence),
            priority_evidence=evidence)
    return cluster
