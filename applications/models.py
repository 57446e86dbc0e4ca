"""Applications, their business plans and frozen versions, documents, bonus claims and the
audit of their states."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, RegistrationNumberField, Supplier
from portal.models import AuditRow, StoredFile
from portal.numbers import MAX_WON

from .enums import WINDOW_STATUSES, ApplicationStatus


class Application(models.Model):
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="applications")
    track = models.ForeignKey("programs.Track", verbose_name=_("track"),
                              on_delete=models.PROTECT, related_name="applications")
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, null=True,
                                      blank=True, unique=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    screening_reason = models.TextField(_("screening reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["call", "receipt_number", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            # The admin's and staff lists' page of a call's applications by receipt number.
            models.Index(fields=["call", "receipt_number", "id"],
                         name="application_call_receipt"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["company", "call"],
                                    name="one_application_per_company_per_call",
                                    violation_error_message=_(
                                        "This company already has an application for this "
                                        "call.")),
        ]

    def __str__(self):
        return self.receipt_number or f"{self.company} · {self.call.code} ({self.pk})"

    @property
    def status_label(self):
        """``get_status_display()`` without its cost in a list: Django's builds a dict of every
        choice, hashing each lazy label — a translation lookup each, 17 per call."""
        try:
            return ApplicationStatus(self.status).label
        except ValueError:
            return self.status

    @property
    def window_matters(self) -> bool:
        """The deadline and the documents still concern the company (``WINDOW_STATUSES``)."""
        return self.status in WINDOW_STATUSES


class BusinessPlan(models.Model):
    """The business plan a company is writing (the draft). Submitting freezes a PlanVersion.

    ``revision`` grows with every save: a save based on an older revision is refused, so two
    members editing at once never silently overwrite each other.
    """

    application = models.OneToOneField(Application, verbose_name=_("application"),
                                       on_delete=models.CASCADE, related_name="plan")
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # Company status and current production
    company_overview = models.TextField(_("company status"), blank=True)
    current_production = models.TextField(_("current production"), blank=True)
    production_problems = models.TextField(_("problems to solve"), blank=True)
    # The smart-factory plan
    systems = models.TextField(_("systems and solutions"), blank=True)
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier from the pool"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="plans")
    supplier_name = models.CharField(_("supplier name"), max_length=200, blank=True)
    supplier_registration_number = RegistrationNumberField(
        _("supplier business registration number"), blank=True)
    # Budget (won)
    cost_software = models.PositiveBigIntegerField(_("software"), default=0)
    cost_hardware = models.PositiveBigIntegerField(_("hardware"), default=0)
    cost_consulting = models.PositiveBigIntegerField(_("consulting"), default=0)
    cost_other = models.PositiveBigIntegerField(_("other costs"), default=0)
    contribution_cash = models.PositiveBigIntegerField(_("contribution in cash"), default=0)
    contribution_in_kind = models.PositiveBigIntegerField(_("contribution in kind"), default=0)
    # KPIs: [{"name": "productivity", "unit": "%", "baseline": "…", "target": "…"}, …]
    kpis = models.JSONField(_("KPIs"), default=list, blank=True)
    schedule_start = models.DateField(_("project start"), null=True, blank=True)
    schedule_end = models.DateField(_("project end"), null=True, blank=True)
    schedule_notes = models.TextField(_("schedule"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_software__lte=MAX_WON) & Q(cost_hardware__lte=MAX_WON)
                & Q(cost_consulting__lte=MAX_WON) & Q(cost_other__lte=MAX_WON),
                name="plan_costs_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(contribution_cash__lte=MAX_WON)
                & Q(contribution_in_kind__lte=MAX_WON),
                name="plan_contribution_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(schedule_start__isnull=True) | Q(schedule_end__isnull=True)
                | Q(schedule_end__gte=models.F("schedule_start")),
                name="plan_schedule_ends_after_start",
            ),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def total_cost(self) -> int:
        return self.cost_software + self.cost_hardware + self.cost_consulting + self.cost_other


class PlanVersion(models.Model):
    """A submitted business plan, frozen. The latest submitted version is the one reviewed.

    ``data`` holds every field of the plan as submitted, the support computed for it and the
    track rules that computed it, so any figure can be reproduced later.
    """

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    plan_revision = models.PositiveIntegerField(
        _("plan revision"), default=0,
        help_text=_("The draft's revision this version froze; submitting the same revision "
                    "twice makes no second version."))
    data = models.JSONField(_("plan as submitted"))
    total_cost = models.PositiveBigIntegerField(_("total project cost (won)"))
    requested_support = models.PositiveBigIntegerField(_("support requested (won)"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["application", "-number"]
        get_latest_by = "number"
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"],
                                    name="plan_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


class ReceiptCounter(models.Model):
    """The last receipt number issued in a call; its row is locked while a number is taken."""

    call = models.OneToOneField("programs.Call", verbose_name=_("call"), primary_key=True,
                                on_delete=models.CASCADE, related_name="receipt_counter")
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self):
        return f"{self.call_id}: {self.last}"


class BonusClaim(models.Model):
    """A bonus item an application claims, with evidence; it counts once staff verify it."""

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="bonus_claims")
    bonus_item = models.ForeignKey("programs.BonusItem", verbose_name=_("bonus item"),
                                   on_delete=models.PROTECT, related_name="claims")
    evidence = models.TextField(_("evidence"))
    verified = models.BooleanField(_("verified by staff"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bonus claim")
        verbose_name_plural = _("bonus claims")
        constraints = [
            models.UniqueConstraint(fields=["application", "bonus_item"],
                                    name="bonus_claim_unique"),
        ]

    def __str__(self):
        return f"{self.application} · {self.bonus_item}"


class Document(StoredFile):
    """A file attached to an application; never under a public URL (see the download view)."""

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey("programs.DocumentType", verbose_name=_("document type"),
                                      on_delete=models.PROTECT, related_name="documents")

    class Meta:
        ordering = ["application", "document_type", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def upload_folder(self) -> str:
        return f"applications/{self.application_id}"


class StateChange(AuditRow):
    """The audit trail: one row per change of an application's state (who, when, from, to, why)."""

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="state_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self):
        return f"{self.application}: {self.from_status} → {self.to_status}"
