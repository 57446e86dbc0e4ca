"""Demo data of payments and settlement (DOMAIN.md §10): one Jeonbuk project at each stage, so
that ``make run`` shows the whole money life cycle at once.

Loaded by ``manage.py load_demo`` after the post-award demo (``projects.demo``: the Jeonbuk run
confirmed, 새벽바이오's agreement accepted — its project waits for the cash deposit) and before
the accounts' consent (``accounts.demo``, last). Five more selected Jeonbuk companies (the 4th
to 8th of the advanced track) accept their agreements, each with its own account, and go
through the same services a user's clicks would (the notice PDFs are made on the spot):

| account | company | stage |
| --- | --- | --- |
| ``company-jb-accepted@…`` | 새벽바이오 | deposit pending (``projects.demo``) |
| ``company-jb-advance@…`` | 모악식품 | deposit recorded, advance (70%) paid |
| ``company-jb-reported@…`` | 만경영농조합 | reported; another supplier's invoice flagged |
| ``company-jb-inspected@…`` | 순창발효 | final inspection passed (by ``reviewer1@…``), to settle |
| ``company-jb-settled@…`` | 고창복분자 | settled below the advance: a refund raised |
| ``company-jb-follow-up@…`` | 진안홍삼 | settled a year ago: the first follow-up report due |

The dates are set back as the services allow (``now`` / ``today``): the projects began months
ago and the last one was settled a year and ten days ago, so its first yearly report is due.
Idempotent: nothing happens once the first of the five has a project.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications.demo import pdf_bytes
from awards.enums import Outcome, RunStatus
from awards.models import ResultLine
from clusters.demo import with_check_digit
from portal.timezone import SEOUL
from projects import services as agreement_services
from projects.changes import add_months
from projects.demo import STAFF_EMAIL, member_of
from projects.models import Agreement
from projects.money import COST_ITEMS
from projects.selectors import korea_date
from reviews.models import ReviewerProfile

from . import selectors, services
from .enums import Decision, PaymentKind
from .models import Project

AGREED_SUPPLIER = ("전북스마트솔루션", "1248100998")
OTHER_SUPPLIER = ("새봄IoT", with_check_digit("514810054"))  # the clusters demo's supplier pool
INSPECTOR_EMAIL = "reviewer1@demo.smartfactory.kr"
PDF = "application/pdf"
# A 1×1 PNG, the inspector's photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")

# (email, stage, months since the agreement was accepted); the 4th to 8th advanced companies.
STAGES = [
    ("company-jb-advance@demo.smartfactory.kr", "advance", 1),
    ("company-jb-reported@demo.smartfactory.kr", "reported", 7),
    ("company-jb-inspected@demo.smartfactory.kr", "inspected", 7),
    ("company-jb-settled@demo.smartfactory.kr", "settled", 7),
    ("company-jb-follow-up@demo.smartfactory.kr", "follow_up", None),
]
# The share of each item's agreed cost the settled project's invoices come to (below the
# advance's 70%: a refund).
SETTLED_SHARE = (6, 10)


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=SEOUL)


def upload(name: str, content: bytes = b"") -> ContentFile:
    return ContentFile(content or pdf_bytes(name), name=name)


def approval_number(day: date, company_number: str, n: int) -> str:
    return f"{day:%Y%m%d}{company_number}{n:06d}"


def accept(line: ResultLine, user, accepted_on: date) -> Project:
    agreement = Agreement.objects.get(application=line.application)
    values = {name: getattr(agreement, name) for name in agreement_services.EDITABLE_FIELDS}
    values.update(supplier_name=AGREED_SUPPLIER[0],
                  supplier_registration_number=AGREED_SUPPLIER[1],
                  bank_name="전북은행", account_number=f"1021-01-{line.application_id:06d}",
                  account_holder=line.application.company.name)
    version = agreement_services.accept_agreement(agreement, values, user=user,
                                                  revision=agreement.revision,
                                                  now=at_noon(accepted_on))
    agreement_services.generate_agreement_pdf(version.pk)
    agreement.refresh_from_db()
    return services.project_of(agreement)


def pay_advance(project: Project, staff, deposited_on: date) -> None:
    agreement = project.agreement
    services.record_deposit(project, amount=agreement.contribution_cash,
                            deposited_on=deposited_on, upload=upload("deposit.pdf"),
                            content_type=PDF, user=staff)
    order = services.prepare_payment(project, PaymentKind.ADVANCE, user=staff)
    services.confirm_payment(order, user=staff)


def report(project: Project, user, issued_on: date, *, share=(1, 1),
           other_supplier: bool = False) -> None:
    """The completion report: per item an invoice of the agreed supplier for ``share`` of the
    item's agreed cost (with ``other_supplier``, a quarter of the first item is invoiced by
    another supplier instead), each paid in full, then submitted."""
    agreement = project.agreement
    draft = services.report_of(project)
    number = agreement.application.company.registration_number
    costs = {item: agreement.costs.get(item, 0) * share[0] // share[1] for item in COST_ITEMS}
    draft = services.save_report(
        draft, revision=draft.revision, user=user,
        values={**{f"actual_{item}": amount for item, amount in costs.items()},
                "summary": "공정 데이터 수집 장비와 MES를 설치하고 시범 운영을 마쳤습니다."})
    invoices = []
    for item, amount in costs.items():
        if amount and other_supplier and not invoices:
            invoices += [(item, amount - amount // 4, AGREED_SUPPLIER),
                         (item, amount // 4, OTHER_SUPPLIER)]
        elif amount:
            invoices.append((item, amount, AGREED_SUPPLIER))
    for n, (item, amount, (name, supplier)) in enumerate(invoices, start=1):
        services.add_invoice(draft, {
            "approval_number": approval_number(issued_on, number, n),
            "issued_on": issued_on, "supplier_name": name,
            "supplier_registration_number": supplier, "cost_item": item,
            "supply_amount": amount, "vat": amount // 10}, user=user)
        services.add_supplier_payment(
            draft, supplier_registration_number=supplier, paid_on=issued_on + timedelta(days=7),
            amount=amount + amount // 10, upload=upload(f"bank-{n}.pdf"), content_type=PDF,
            user=user)
    services.submit_report(draft, user=user)


def inspect(project: Project, staff, inspector: ReviewerProfile, today: date) -> None:
    inspection = services.assign_inspector(project, inspector, user=staff)
    checklist = [{**item, "ok": True, "note": "설치·작동 확인"} for item in inspection.checklist]
    services.record_inspection(
        inspection, user=inspector.user, checklist=checklist,
        findings="계획한 설비와 시스템이 설치되어 작동합니다.", decision=Decision.PASS,
        photos=[(upload("site.png", PNG), "image/png")], today=today)


def settle(project: Project, staff, today: date) -> None:
    settlement = services.preview_settlement(project, user=staff)
    services.confirm_settlement(settlement, user=staff, today=today)
    settlement.refresh_from_db()
    services.generate_settlement_notice(settlement.pk)


def lines() -> list[ResultLine]:
    """The 4th to 8th selected companies of Jeonbuk's advanced track."""
    return list(ResultLine.objects.filter(
        run__call__code="2025-JB", run__status=RunStatus.CONFIRMED, track__order=1,
        outcome=Outcome.SELECTED).select_related("application__company")
        .order_by("rank")[3:3 + len(STAGES)])


@transaction.atomic
def load(today: date | None = None):
    staff = get_user_model().objects.filter(email=STAFF_EMAIL).first()
    inspector = (ReviewerProfile.objects.filter(user__email=INSPECTOR_EMAIL)
                 .select_related("user").first())
    selected = lines()
    if staff is None or inspector is None or len(selected) < len(STAGES):
        return None
    if Project.objects.filter(agreement__application=selected[0].application).exists():
        return None
    today = today or korea_date(timezone.now())
    projects = {}
    for line, (email, stage, months) in zip(selected, STAGES, strict=True):
        company = line.application.company
        user = member_of(line.application, email, f"{company.name} 대표")
        # The follow-up project was settled a year and ten days ago, seven months after its
        # agreement.
        settled_on = add_months(today, -12) - timedelta(days=10)
        accepted_on = (add_months(settled_on, -7) if stage == "follow_up"
                       else add_months(today, -months))
        project = accept(line, user, accepted_on)
        pay_advance(project, staff, accepted_on + timedelta(days=5))
        projects[stage] = project
        if stage == "advance":
            continue
        issued_on = accepted_on + timedelta(days=60)
        report(project, user, issued_on, other_supplier=stage == "reported",
               share=SETTLED_SHARE if stage == "settled" else (1, 1))
        if stage == "reported":
            services.preview_settlement(project, user=staff)  # the flag is raised
            continue
        decided_on = (settled_on if stage == "follow_up" else today) - timedelta(days=3)
        inspect(project, staff, inspector, decided_on)
        if stage == "inspected":
            continue
        settle(project, staff, settled_on if stage == "follow_up" else today)
    assert selectors.open_flags(projects["reported"]).count() == 1
    return projects
