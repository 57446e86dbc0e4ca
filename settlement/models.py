"""The money after the agreement (DOMAIN.md §10): each accepted agreement's project, the
append-only ledger every figure is summed from, the company's deposits, the payment orders,
the completion report with its tax invoices and proofs of payment, the settlement with its
flags and notice, and refunds.

Money is integer won. A status changes only through ``portal.state`` (``services``).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models import new_verification_code
from portal.models import AuditRow, StoredFile
from programs.enums import FundingSource

from .enums import (
    FlagRule,
    InspectionStatus,
    InvoiceKind,
    LedgerKind,
    OrderStatus,
    PaymentKind,
    ProjectStatus,
    RefundStatus,
    SettlementStatus,
)


class SettlementTerms(models.Model):
    """A call's payment and settlement settings (the figures DOMAIN.md §10 marks
    **assumed**). A call without a row has the defaults (``selectors.terms_of``)."""

    call = models.OneToOneField("programs.Call", verbose_name=_("call"),
                                on_delete=models.CASCADE, related_name="settlement_terms")
    advance_rate = models.DecimalField(_("advance (share of the agreed support)"),
                                       max_digits=4, decimal_places=3, default=Decimal("0.7"))
    refund_days = models.PositiveSmallIntegerField(_("days to pay a refund"), default=30)
    remediation_days = models.PositiveSmallIntegerField(_("days to remediate"), default=30)
    follow_up_years = models.PositiveSmallIntegerField(_("years of follow-up"), default=3)

    class Meta:
        verbose_name = _("payment and settlement terms")
        verbose_name_plural = _("payment and settlement terms")
        constraints = [
            models.CheckConstraint(condition=Q(advance_rate__gte=0) & Q(advance_rate__lte=1),
                                   name="settlement_terms_advance_rate_within_one"),
        ]

    def __str__(self):
        return str(self.call)


class Project(models.Model):
    """The project (수행 과제) of one accepted agreement: where it is in the money's life cycle.
    Its row is the lock every payment, settlement and refund of the project takes."""

    agreement = models.OneToOneField("projects.Agreement", verbose_name=_("agreement"),
                                     on_delete=models.PROTECT, related_name="project")
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="settlement_projects")
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.IN_PROGRESS, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["call", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self):
        return str(self.agreement)


class ProjectEvent(AuditRow):
    """The audit trail of a project's status."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=ProjectStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ProjectStatus.choices)

    class Meta:
        ordering = ["project", "created_at", "pk"]
        verbose_name = _("project event")
        verbose_name_plural = _("project events")


class AppendOnly(Exception):
    """A ledger row is never changed or deleted: a correction is a new row."""


class LedgerEntry(models.Model):
    """One movement of money (who, when, why, how much, from which source). Every figure of
    every page is a sum of these rows; none is stored a second time."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="ledger")
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="+")
    track = models.ForeignKey("programs.Track", verbose_name=_("track"),
                              on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerKind.choices)
    source = models.CharField(_("funding source"), max_length=20, blank=True,
                              choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    order = models.ForeignKey("PaymentOrder", verbose_name=_("payment order"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="entries")
    settlement = models.ForeignKey("Settlement", verbose_name=_("settlement"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="entries")
    refund = models.ForeignKey("Refund", verbose_name=_("refund"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="entries")

    class Meta:
        ordering = ["project", "created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["call", "source", "kind"]),
                   models.Index(fields=["project", "source", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=LedgerKind.DEPOSIT, source="")
                | (~Q(kind=LedgerKind.DEPOSIT) & ~Q(source="")),
                name="ledger_deposit_has_no_source"),
            # An instalment from a source is paid once per project (the second of two
            # concurrent confirmations fails here even without the lock).
            models.UniqueConstraint(
                fields=["project", "kind", "source"],
                condition=Q(kind__in=[LedgerKind.ADVANCE, LedgerKind.BALANCE,
                                      LedgerKind.SETTLED]),
                name="ledger_one_instalment_per_source"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount:,}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("ledger entries are never deleted")


class Deposit(StoredFile):
    """The company's cash contribution deposited into the project account, recorded by staff
    with its evidence (a bank record)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="deposits")
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    deposited_on = models.DateField(_("deposited on"))

    class Meta:
        ordering = ["project", "deposited_on", "pk"]
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")

    def upload_folder(self) -> str:
        return f"projects/{self.project_id}/deposits"


class PaymentOrder(models.Model):
    """An instalment of the support (advance or balance), previewed then confirmed; confirming
    writes its ledger rows."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="orders")
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField(_("instalment"), max_length=20, choices=PaymentKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices,
                              default=OrderStatus.PREVIEW, db_index=True)
    national = models.PositiveBigIntegerField(_("national share (won)"), default=0)
    provincial = models.PositiveBigIntegerField(_("provincial share (won)"), default=0)
    municipal = models.PositiveBigIntegerField(_("city/county share (won)"), default=0)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    account_number = models.CharField(_("account number"), max_length=30, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["call", "-created_at", "-pk"]
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"

    @property
    def shares(self) -> dict[str, int]:
        return {"national": self.national, "provincial": self.provincial,
                "municipal": self.municipal}

    @property
    def total(self) -> int:
        return self.national + self.provincial + self.municipal


class PaymentOrderEvent(AuditRow):
    order = models.ForeignKey(PaymentOrder, verbose_name=_("payment order"),
                              on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=OrderStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices)

    class Meta:
        ordering = ["order", "created_at", "pk"]
        verbose_name = _("payment order event")
        verbose_name_plural = _("payment order events")


class CompletionReport(models.Model):
    """The company's completion report (완료보고) as it is typed: the actual cost per item and
    the KPI values reached; the tax invoices and proofs of payment are its rows. Submitting
    freezes a version."""

    project = models.OneToOneField(Project, verbose_name=_("project"),
                                   on_delete=models.PROTECT, related_name="report")
    actual_costs = models.JSONField(_("actual cost per item"), default=dict, blank=True)
    kpis = models.JSONField(_("KPI values reached"), default=dict, blank=True)
    summary = models.TextField(_("summary of the work done"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")

    def __str__(self):
        return str(self.project)


class TaxInvoice(models.Model):
    """A supplier's electronic tax invoice (전자세금계산서) in a completion report."""

    report = models.ForeignKey(CompletionReport, verbose_name=_("completion report"),
                               on_delete=models.CASCADE, related_name="invoices")
    approval_number = models.CharField(_("approval number"), max_length=24, db_index=True)
    issued_on = models.DateField(_("issue date"))
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    supplier_registration_number = models.CharField(
        _("supplier business registration number"), max_length=10)
    cost_item = models.CharField(_("cost item"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices,
                            default=InvoiceKind.NORMAL)
    supply_amount = models.BigIntegerField(_("supply amount (won)"))
    vat = models.BigIntegerField(_("VAT (won)"))
    zero_rated = models.BooleanField(_("zero-rated"), default=False)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "issued_on", "pk"]
        verbose_name = _("tax invoice")
        verbose_name_plural = _("tax invoices")
        constraints = [
            models.UniqueConstraint(fields=["report", "approval_number"],
                                    name="tax_invoice_once_per_report"),
        ]

    def __str__(self):
        return self.approval_number


class SupplierPayment(StoredFile):
    """A proof of the company's payment to its supplier (a bank record)."""

    report = models.ForeignKey(CompletionReport, verbose_name=_("completion report"),
                               on_delete=models.CASCADE, related_name="payments")
    supplier_registration_number = models.CharField(
        _("supplier business registration number"), max_length=10)
    paid_on = models.DateField(_("paid on"))
    amount = models.PositiveBigIntegerField(_("amount (won)"))

    class Meta:
        ordering = ["report", "paid_on", "pk"]
        verbose_name = _("proof of payment")
        verbose_name_plural = _("proofs of payment")

    def upload_folder(self) -> str:
        return f"projects/{self.report.project_id}/payments"


class ReportVersion(models.Model):
    """A completion report as submitted: everything frozen."""

    report = models.ForeignKey(CompletionReport, verbose_name=_("completion report"),
                               on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("report as submitted"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("completion report version")
        verbose_name_plural = _("completion report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"],
                                    name="report_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


def settlement_notice_path(instance, filename):
    return f"notices/settlements/{instance.project_id}/{instance.code}.pdf"


class Settlement(models.Model):
    """The settlement (정산) of a project: computed from its submitted report (a preview),
    then confirmed once every flag is cleared. ``recognised`` holds the recognised cost per
    item; ``settled_*`` the settled support per source; ``members``, for a cluster, each member
    company's part (``money.MemberFigures.as_dict``), whose sum per source is ``settled_*``."""

    project = models.OneToOneField(Project, verbose_name=_("project"),
                                   on_delete=models.PROTECT, related_name="settlement")
    report_version = models.ForeignKey(ReportVersion, verbose_name=_("report version"),
                                       on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=SettlementStatus.choices,
                              default=SettlementStatus.PREVIEW)
    recognised = models.JSONField(_("recognised cost per item"), default=dict)
    recognised_cost = models.PositiveBigIntegerField(_("recognised cost (won)"), default=0)
    settled_national = models.PositiveBigIntegerField(_("settled national (won)"), default=0)
    settled_provincial = models.PositiveBigIntegerField(_("settled provincial (won)"),
                                                        default=0)
    settled_municipal = models.PositiveBigIntegerField(_("settled city/county (won)"),
                                                       default=0)
    rules = models.JSONField(_("rules applied"), default=dict)
    members = models.JSONField(
        _("member companies' figures"), default=list, blank=True,
        help_text=_("For a cluster, settled per member company: each member's agreed cost and "
                    "support, its part of the recognised cost and its settled support."))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=14, unique=True,
                            default=new_verification_code)
    file = models.FileField(_("settlement notice"), upload_to=settlement_notice_path,
                            blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self):
        return str(self.project)

    @property
    def settled(self) -> dict[str, int]:
        return {"national": self.settled_national, "provincial": self.settled_provincial,
                "municipal": self.settled_municipal}

    @property
    def settled_total(self) -> int:
        return self.settled_national + self.settled_provincial + self.settled_municipal

    @property
    def is_ready(self) -> bool:
        return bool(self.file) and self.generated_at is not None


class SettlementEvent(AuditRow):
    settlement = models.ForeignKey(Settlement, verbose_name=_("settlement"),
                                   on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=SettlementStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=SettlementStatus.choices)

    class Meta:
        ordering = ["settlement", "created_at", "pk"]
        verbose_name = _("settlement event")
        verbose_name_plural = _("settlement events")


class Flag(models.Model):
    """An invoice that blocks settlement (DOMAIN.md §10) until staff clear it with a reason.
    ``detail`` says what was found; a flag found again after clearing stays cleared."""

    invoice = models.ForeignKey(TaxInvoice, verbose_name=_("tax invoice"),
                                on_delete=models.CASCADE, related_name="flags")
    rule = models.CharField(_("rule"), max_length=20, choices=FlagRule.choices)
    detail = models.TextField(_("what was found"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cleared by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    clear_reason = models.TextField(_("reason for clearing"), blank=True)
    excludes_invoice = models.BooleanField(
        _("invoice left out of the recognised cost"), default=False,
        help_text=_("Cleared by leaving the invoice out of the recognised cost."))

    class Meta:
        ordering = ["invoice", "rule"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "rule"], name="flag_once_per_rule"),
            models.CheckConstraint(
                condition=Q(cleared_at__isnull=True) | ~Q(clear_reason=""),
                name="flag_cleared_with_reason"),
        ]

    def __str__(self):
        return f"{self.invoice} · {self.get_rule_display()}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class Refund(models.Model):
    """A refund (환수) ordered back from the company for one funding source."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="refunds")
    source = models.CharField(_("funding source"), max_length=20,
                              choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (won)"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=RefundStatus.choices,
                              default=RefundStatus.RAISED, db_index=True)
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self):
        return f"{self.project} · {self.get_source_display()} {self.amount:,}"


class RefundEvent(AuditRow):
    refund = models.ForeignKey(Refund, verbose_name=_("refund"), on_delete=models.CASCADE,
                               related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=RefundStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=RefundStatus.choices)

    class Meta:
        ordering = ["refund", "created_at", "pk"]
        verbose_name = _("refund event")
        verbose_name_plural = _("refund events")


class Inspection(models.Model):
    """The final inspection (최종점검) of a reported project by an inspector (a reviewer with no
    conflict): a checklist from the plan's function list and KPIs, findings, photos, and a
    decision — pass, remediate (once) or fail."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="inspections")
    inspector = models.ForeignKey("reviews.ReviewerProfile", verbose_name=_("inspector"),
                                  on_delete=models.PROTECT, related_name="inspections")
    status = models.CharField(_("status"), max_length=20, choices=InspectionStatus.choices,
                              default=InspectionStatus.ASSIGNED, db_index=True)
    checklist = models.JSONField(_("checklist"), default=list)
    findings = models.TextField(_("findings"), blank=True)
    remediation_due = models.DateField(_("remediate by"), null=True, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"),
                                    on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["project", "-assigned_at", "-pk"]
        verbose_name = _("final inspection")
        verbose_name_plural = _("final inspections")
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(status__in=["assigned", "remediate"]),
                name="inspection_one_open_per_project"),
        ]

    def __str__(self):
        return f"{self.project} · {self.inspector}"


class InspectionEvent(AuditRow):
    inspection = models.ForeignKey(Inspection, verbose_name=_("final inspection"),
                                   on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=InspectionStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=InspectionStatus.choices)

    class Meta:
        ordering = ["inspection", "created_at", "pk"]
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")


class InspectionPhoto(StoredFile):
    inspection = models.ForeignKey(Inspection, verbose_name=_("final inspection"),
                                   on_delete=models.CASCADE, related_name="photos")

    class Meta:
        ordering = ["inspection", "uploaded_at", "pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def upload_folder(self) -> str:
        return f"projects/{self.inspection.project_id}/inspection"


class FollowUpReport(models.Model):
    """The follow-up (사후관리) of a settled project, once a year for the call's years: the KPI
    values against the plan's baseline and target, whether the system is still in use, and
    the smart-factory level (수준확인, 1–5) if known. Due on each anniversary of the
    settlement; overdue 30 days later."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="follow_ups")
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"), db_index=True)
    kpis = models.JSONField(_("KPI values"), default=dict, blank=True)
    in_use = models.BooleanField(_("system still in use"), null=True)
    level = models.PositiveSmallIntegerField(_("smart-factory level"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="follow_up_once_a_year"),
            models.CheckConstraint(condition=Q(level__isnull=True)
                                   | (Q(level__gte=1) & Q(level__lte=5)),
                                   name="follow_up_level_one_to_five"),
        ]

    def __str__(self):
        return f"{self.project} · {self.year}"
