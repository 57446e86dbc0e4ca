"""Reads of payments and settlement. Every money figure is a sum of the ledger
(``LedgerEntry``); the agreed support is the agreement's, the award the result line's."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from companies.selectors import company_id_of
from projects.money import SOURCES
from projects.selectors import korea_date

from .enums import LedgerKind, OrderStatus, RefundStatus, SettlementStatus
from .models import (
    Flag,
    LedgerEntry,
    PaymentOrder,
    Project,
    Refund,
    Settlement,
    SettlementTerms,
    TaxInvoice,
)

K = LedgerKind


def terms_of(call) -> SettlementTerms:
    """The call's payment and settlement terms, or the defaults (unsaved) without a row."""
    try:
        return call.settlement_terms
    except SettlementTerms.DoesNotExist:
        return SettlementTerms(call=call)


def project_queryset():
    return Project.objects.select_related(
        "call", "agreement__application__company", "agreement__application__track",
        "agreement__application__call")


def projects_for_user(user):
    """The projects ``user`` may see: every one for staff, its region's calls' for an operator,
    its company's for a member; none otherwise."""
    queryset = project_queryset()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        return queryset
    if user.is_operator:
        return queryset.filter(call__region_id=user.region_id)
    company_id = company_id_of(user)
    if company_id is None:
        return queryset.none()
    return queryset.filter(agreement__application__company_id=company_id)


def calls_with_projects(user) -> list:
    """The calls ``user`` follows that have projects, each with ``project_count``."""
    from django.db.models import Count

    from programs.selectors import manageable_calls

    return list(manageable_calls(user).annotate(project_count=Count("settlement_projects"))
                .filter(project_count__gt=0).order_by("-pk"))


def empty_sums() -> dict[str, dict[str, int]]:
    return {kind.value: dict.fromkeys(SOURCES, 0) for kind in K if kind != K.DEPOSIT}


@dataclass
class Figures:
    """What the ledger holds for one project (or one call): per kind and source, and the
    deposits (the company's cash, no source)."""

    sums: dict[str, dict[str, int]] = field(default_factory=empty_sums)
    deposited: int = 0

    def add(self, kind: str, source: str, amount: int) -> None:
        if kind == K.DEPOSIT:
            self.deposited += amount
        else:
            self.sums[kind][source] += amount

    @property
    def paid(self) -> dict[str, int]:
        return {s: self.sums[K.ADVANCE][s] + self.sums[K.BALANCE][s] for s in SOURCES}

    @property
    def advance(self) -> dict[str, int]:
        return self.sums[K.ADVANCE]

    @property
    def settled(self) -> dict[str, int]:
        return self.sums[K.SETTLED]

    @property
    def refund_raised(self) -> dict[str, int]:
        return self.sums[K.REFUND_RAISED]

    @property
    def refund_paid(self) -> dict[str, int]:
        return self.sums[K.REFUND_PAID]

    @property
    def net_paid(self) -> dict[str, int]:
        """Paid less the refunds raised: what the project keeps once refunds are in."""
        return {s: self.paid[s] - self.refund_raised[s] for s in SOURCES}

    def total(self, name: str) -> int:
        return sum(getattr(self, name).values())

    @property
    def paid_total(self) -> int:
        return self.total("paid")

    @property
    def settled_total(self) -> int:
        return self.total("settled")

    @property
    def refund_raised_total(self) -> int:
        return self.total("refund_raised")


def figures_of(project_ids) -> dict[int, Figures]:
    """Project id → its ledger figures, in one query."""
    result = {pk: Figures() for pk in project_ids}
    rows = (LedgerEntry.objects.filter(project_id__in=list(result)).order_by()
            .values_list("project_id", "kind", "source").annotate(total=Sum("amount")))
    for project_id, kind, source, total in rows:
        result[project_id].add(kind, source, total)
    return result


def project_figures(project: Project) -> Figures:
    return figures_of([project.pk])[project.pk]


@dataclass(frozen=True)
class Row:
    """One project's figures per funding source for its page."""

    source: str
    label: str
    agreed: int
    paid: int
    settled: int
    refund_raised: int
    refund_paid: int
    to_pay: int


def source_rows(project: Project, figures: Figures, settlement: Settlement | None) -> list[Row]:
    from programs.enums import FundingSource

    labels = dict(FundingSource.choices)
    agreed = project.agreement.shares
    confirmed = settlement is not None and settlement.status == SettlementStatus.CONFIRMED
    rows = []
    for source in SOURCES:
        if not agreed[source] and not figures.paid[source]:
            continue
        ceiling = figures.settled[source] if confirmed else agreed[source]
        rows.append(Row(source, labels[source], agreed[source], figures.paid[source],
                        figures.settled[source], figures.refund_raised[source],
                        figures.refund_paid[source],
                        max(0, ceiling - figures.paid[source])))
    return rows


def call_figures(call_ids) -> dict[int, Figures]:
    """Call id → the ledger summed over its projects, in one query."""
    result = {pk: Figures() for pk in call_ids}
    rows = (LedgerEntry.objects.filter(call_id__in=list(result)).order_by()
            .values_list("call_id", "kind", "source").annotate(total=Sum("amount")))
    for call_id, kind, source, total in rows:
        result[call_id].add(kind, source, total)
    return result


def track_figures(call) -> dict[int, Figures]:
    """Track id → the ledger summed over the track's projects, in one query."""
    result: dict[int, Figures] = {}
    rows = (LedgerEntry.objects.filter(call=call).order_by()
            .values_list("track_id", "kind", "source").annotate(total=Sum("amount")))
    for track_id, kind, source, total in rows:
        result.setdefault(track_id, Figures()).add(kind, source, total)
    return result


def plan_kpis(application) -> dict[str, dict]:
    """The KPIs of the application's latest submitted plan: ``{code: {"baseline", "target",
    "unit"}}``."""
    from applications.checks import kpi_values
    from applications.models import PlanVersion

    version = PlanVersion.objects.filter(application=application).order_by("-number").first()
    plan = (version.data.get("plan", {}) if version else {}) or {}
    return kpi_values(plan.get("kpis"))


def open_flags(project: Project):
    return Flag.objects.filter(invoice__report__project=project, cleared_at__isnull=True)


def approval_numbers_elsewhere(project: Project, numbers) -> set[str]:
    """The approval numbers among ``numbers`` that an invoice of another project carries."""
    return set(TaxInvoice.objects.filter(approval_number__in=list(numbers))
               .exclude(report__project=project)
               .values_list("approval_number", flat=True))


def approval_numbers_in_several_projects(call) -> set[str]:
    """The approval numbers of the call's invoices that an invoice of another project (of any
    call) carries too, in one query: for each project, those among its own numbers are the
    ones ``approval_numbers_elsewhere`` finds."""
    from django.db.models import Exists, OuterRef

    elsewhere = (TaxInvoice.objects.filter(approval_number=OuterRef("approval_number"))
                 .exclude(report__project_id=OuterRef("report__project_id")))
    return set(TaxInvoice.objects.filter(report__project__call=call)
               .filter(Exists(elsewhere)).values_list("approval_number", flat=True))


def pending_orders(call):
    """The payment orders of ``call`` waiting for confirmation."""
    return (PaymentOrder.objects.filter(call=call, status=OrderStatus.PREVIEW)
            .select_related("project__agreement__application__company", "created_by")
            .order_by("created_at", "pk"))


def payment_file_rows(call):
    """The confirmed payment orders of ``call``, for the finance office's payment file."""
    return (PaymentOrder.objects.filter(call=call, status=OrderStatus.CONFIRMED)
            .select_related("project__agreement__application__company")
            .order_by("confirmed_at", "pk"))


def overdue_refunds(today):
    """The raised refunds ``refund_is_overdue`` says are past their due date (the ones
    ``services.mark_overdue_refunds`` marks overdue), as a queryset."""
    return Refund.objects.filter(status=RefundStatus.RAISED, due_on__lt=today)


def verified_document(code: str) -> dict | None:
    """The facts the public verify page shows for a settlement notice with this code
    (registered with ``awards.verification``), or None."""
    from django.utils.translation import gettext as _

    from portal.templatetags.portal_tags import won

    settlement = (Settlement.objects.filter(code=code, generated_at__isnull=False)
                  .exclude(file="")
                  .select_related("project__agreement__application__company",
                                  "project__call").first())
    if settlement is None:
        return None
    company = settlement.project.agreement.application.company
    return {"code": settlement.code, "kind": _("Settlement notice"), "facts": [
        (_("Company"), f"{company.name} ({company.registration_number_display})"),
        (_("Call"), settlement.project.call.title),
        (_("Recognised cost"), won(settlement.recognised_cost)),
        (_("Settled support"), won(settlement.settled_total)),
        (_("Issued on"), korea_date(settlement.generated_at).isoformat())]}




@dataclass(frozen=True)
class BudgetRow:
    """Awarded ≥ agreed ≥ paid, settled and refunded of one budget line or one track."""

    key: str
    label: str
    amount: int | None
    awarded: int
    agreed: int
    paid: int
    settled: int
    refund_raised: int
    refund_paid: int

    def bars(self, scale: int) -> list[tuple[str, int, int]]:
        """(figure, amount, width out of ``BAR_WIDTH``) for the chart, against ``scale``."""
        figures = [("awarded", self.awarded), ("agreed", self.agreed), ("paid", self.paid),
                   ("settled", self.settled), ("refunded", self.refund_raised)]
        return [(name, value, BAR_WIDTH * value // scale if scale else 0)
                for name, value in figures]


BAR_WIDTH = 250


def budget(call) -> dict:
    """The call's budget lines and tracks with what is awarded (confirmed runs' awards still
    held), agreed (accepted agreements' support) and, from the ledger, paid, settled and
    refunded. Five queries whatever the number of projects."""
    from applications.enums import ApplicationStatus
    from awards.selectors import confirmed_lines
    from programs.enums import FundingSource
    from programs.models import BudgetLine, Track
    from projects.models import Agreement

    labels = dict(FundingSource.choices)
    lines = {line.source: line.amount for line in BudgetLine.objects.filter(call=call)}
    awarded = {row["track_id"]: row for row in confirmed_lines(call).order_by()
               .values("track_id").annotate(**{s: Sum(s) for s in SOURCES})}
    agreed = {row["application__track_id"]: row for row in Agreement.objects.filter(
        application__call=call, application__status=ApplicationStatus.AGREEMENT)
        .order_by().values("application__track_id").annotate(**{s: Sum(s) for s in SOURCES})}
    ledger = track_figures(call)
    tracks = list(Track.objects.filter(call=call).order_by("order", "pk"))

    def row(key, label, amount, sources, track_ids):
        def total(table, source):
            return sum((table.get(pk) or {}).get(source) or 0 for pk in track_ids)

        def ledger_total(name):
            return sum(getattr(ledger[pk], name)[source] for pk in track_ids if pk in ledger
                       for source in sources)

        return BudgetRow(key, label, amount,
                         sum(total(awarded, s) for s in sources),
                         sum(total(agreed, s) for s in sources), ledger_total("paid"),
                         ledger_total("settled"), ledger_total("refund_raised"),
                         ledger_total("refund_paid"))

    track_ids = [track.pk for track in tracks]
    line_rows = [row(source, labels[source], lines[source], [source], track_ids)
                 for source in SOURCES if source in lines]
    track_rows = [row(str(track.pk), track.name, None, SOURCES, [track.pk])
                  for track in tracks]
    return {"lines": line_rows, "tracks": track_rows}


def inspectors_for(project):
    """Active reviewers staff may assign as the project's inspector (a conflicted one is
    refused by the service, with the rule named)."""
    from reviews.models import ReviewerProfile

    return ReviewerProfile.objects.filter(active=True).select_related("user").order_by(
        "organisation", "pk")


def has_inspections():
    """The signed-in user's annotation (``settings.USER_ANNOTATIONS``): whether any inspection
    was ever assigned to them (the header then links their inspections)."""
    from django.db.models import Exists, OuterRef

    from .models import Inspection

    return Exists(Inspection.objects.filter(inspector__user_id=OuterRef("pk")))


def inspections_for_user(user):
    """The inspections assigned to ``user`` as an inspector, the open ones first."""
    from .models import Inspection

    return (Inspection.objects.filter(inspector__user=user)
            .select_related("project__agreement__application__company", "project__call",
                            "inspector__user")
            .order_by("status", "-assigned_at", "pk"))


def follow_up_state(report, today) -> str:
    """``filed``, ``not_due``, ``due`` or ``overdue`` (30 days after it was due)."""
    from datetime import timedelta

    if report.submitted_at is not None:
        return "filed"
    if today < report.due_on:
        return "not_due"
    return "overdue" if today > report.due_on + timedelta(days=30) else "due"


def refund_is_overdue(refund, today) -> bool:
    """A raised refund still to be paid back after its due date: the rule the daily task
    applies when it stores the status *overdue*."""
    return refund.status == RefundStatus.RAISED and refund.due_on < today


def overdue_follow_ups(user, today):
    """Follow-up reports not filed 30 days after they were due, for staff (all) and the
    region's operator (its calls'), the oldest first."""
    from datetime import timedelta

    from .models import FollowUpReport

    queryset = (FollowUpReport.objects.filter(submitted_at__isnull=True,
                                              due_on__lt=today - timedelta(days=30))
                .select_related("project__agreement__application__company", "project__call")
                .order_by("due_on", "pk"))
    if user.is_staff:
        return queryset
    if user.is_operator:
        return queryset.filter(project__call__region_id=user.region_id)
    return queryset.none()


def number(value):
    """A KPI value as a Decimal, or None when it is no number."""
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None


def kpi_chart(project, reports, plan) -> list[dict]:
    """Per KPI of the plan: baseline, target and each filed year's value, with the bars'
    widths (of 200) against the largest of them, for the project's SVG chart."""
    charts = []
    for code, row in plan.items():
        points = [("baseline", number(row.get("baseline"))), ("target", number(row.get("target")))]
        points += [(str(r.year), number(r.kpis.get(code))) for r in reports if r.submitted_at]
        known = [value for _label, value in points if value is not None]
        top = max(known, default=0)
        bars = [{"label": label, "value": value,
                 "width": int(200 * value / top) if value is not None and top > 0 else 0,
                 "y": 16 * index} for index, (label, value) in enumerate(points)]
        charts.append({"code": code, "label": kpi_label(code), "bars": bars,
                       "height": 16 * len(bars) + 4})
    return charts


def kpi_label(code: str) -> str:
    """A KPI's name in the reader's language (the plan's four PQCD KPIs), else its code."""
    from applications.enums import Kpi

    return str(Kpi(code).label) if code in Kpi.values else code


def call_kpi_rows(call):
    """The call's KPI achievement per settled project and KPI: baseline, target and each
    follow-up year's value."""
    from applications.checks import kpi_values
    from applications.models import PlanVersion

    from .models import FollowUpReport

    projects = list(Project.objects.filter(call=call, follow_ups__isnull=False).distinct()
                    .select_related("agreement__application__company").order_by("pk"))
    versions = {}
    for version in (PlanVersion.objects.filter(
            application_id__in=[p.agreement.application_id for p in projects])
            .order_by("application_id", "number")):
        versions[version.application_id] = version
    reports = {}
    for report in FollowUpReport.objects.filter(project__in=projects).order_by("year"):
        reports.setdefault(report.project_id, []).append(report)
    rows = []
    for project in projects:
        version = versions.get(project.agreement.application_id)
        plan = kpi_values(((version.data.get("plan", {}) if version else {}) or {}).get("kpis"))
        for code, row in plan.items():
            rows.append({"project": project, "code": code, "baseline": row.get("baseline", ""),
                         "target": row.get("target", ""),
                         "years": [r.kpis.get(code, "") if r.submitted_at else ""
                                   for r in reports.get(project.pk, [])]})
    return rows


def company_projects(user):
    """The projects of the user's company, newest first, each annotated with what its next
    step needs (deposited, advance paid, the earliest refund and follow-up report still
    open), in one query; None when the user acts for no company."""
    from django.db.models import Exists, OuterRef, Subquery

    from .models import FollowUpReport

    company_id = company_id_of(user)
    if company_id is None:
        return None

    def ledger(kind):
        return Exists(LedgerEntry.objects.filter(project=OuterRef("pk"), kind=kind))

    refunds = (Refund.objects.filter(project=OuterRef("pk"),
                                     status__in=[RefundStatus.RAISED, RefundStatus.OVERDUE])
               .order_by("due_on", "pk"))
    follow_ups = (FollowUpReport.objects.filter(project=OuterRef("pk"),
                                                submitted_at__isnull=True)
                  .order_by("due_on", "pk"))
    return list(project_queryset().filter(agreement__application__company_id=company_id)
                .annotate(deposited=ledger(K.DEPOSIT), advanced=ledger(K.ADVANCE),
                          refund_due=Subquery(refunds.values("due_on")[:1]),
                          # every source's refund still to pay, not the first one's
                          refund_amount=Subquery(refunds.order_by().values("project")
                                                 .annotate(total=Sum("amount"))
                                                 .values("total")),
                          follow_up_year=Subquery(follow_ups.values("year")[:1]),
                          follow_up_due=Subquery(follow_ups.values("due_on")[:1]))
                .order_by("-pk"))


def project_next_step(project, today) -> str:
    """What comes next for a project of ``company_projects``, for its company."""
    from datetime import timedelta

    from django.utils.translation import gettext as _

    from portal.templatetags.portal_tags import won

    from .enums import ProjectStatus as P

    if project.refund_due is not None:
        return _("Pay back the refund of %(amount)s by %(date)s.") % {
            "amount": won(project.refund_amount), "date": project.refund_due.isoformat()}
    if project.status == P.IN_PROGRESS:
        if not project.deposited:
            return _("Deposit your cash contribution of %(amount)s into the project account; "
                     "staff record it, then the advance is paid.") % {
                "amount": won(project.agreement.contribution_cash)}
        if not project.advanced:
            return _("Your deposit is recorded: the advance is being paid.")
        return _("File the completion report by %(date)s.") % {
            "date": project.agreement.period_end.isoformat()}
    if project.status == P.REPORTED:
        return _("Your completion report is submitted: the final inspection comes next.")
    if project.status == P.INSPECTED:
        return _("The final inspection is passed: the settlement is being prepared.")
    if project.status == P.SETTLED:
        if project.follow_up_due is not None and project.follow_up_due <= today + timedelta(30):
            return _("File the follow-up report for year %(year)d (due on %(date)s).") % {
                "year": project.follow_up_year, "date": project.follow_up_due.isoformat()}
        return _("Settled: the settlement notice is on the project's page.")
    return _("The selection was cancelled.")
