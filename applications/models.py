"""Companies, suppliers, applications, business plans, documents and the audit of states."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AuditRow
from programs.models import MAX_WON

from .enums import ApplicationStatus, MembershipRole
from .validators import (
    format_registration_number,
    normalise_registration_number,
    validate_registration_number,
)


class RegistrationNumberField(models.CharField):
    """A business registration number stored as its 10 digits, checked with its check digit.
    Cleaning normalises it (hyphens, full-width digits: ``portal.numbers``) before the
    validators and the uniqueness checks, wherever the model is validated (the admin too)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("validators", [validate_registration_number])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_registration_number(value) if value else value

    def formfield(self, **kwargs):
        # Typed with hyphens or spaces it is longer than the 10 digits it is stored as.
        return super().formfield(**{"max_length": 20, **kwargs})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if kwargs.get("max_length") == 10:
            kwargs.pop("max_length")
        return name, path, args, kwargs


class Company(models.Model):
    name = models.CharField(_("company name"), max_length=200)
    registration_number = RegistrationNumberField(_("business registration number"),
                                                  unique=True)
    representative = models.CharField(_("representative"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    region = models.ForeignKey("programs.Region", verbose_name=_("factory region"),
                               on_delete=models.PROTECT, related_name="companies")
    ksic_code = models.CharField(_("KSIC code"), max_length=10,
                                 help_text=_("Korean Standard Industrial Classification, such "
                                             "as C10 or C10791."))
    is_sme = models.BooleanField(_("SME confirmed"), default=False)
    employees = models.PositiveIntegerField(_("employees"))
    revenue = models.PositiveBigIntegerField(_("revenue last year (won)"))
    prior_support = models.BooleanField(_("received smart-factory support before"),
                                        default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name

    @property
    def registration_number_display(self):
        return format_registration_number(self.registration_number)


class Membership(models.Model):
    """A user acting for a company. An account belongs to at most one company."""

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="memberships")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices,
                            default=MembershipRole.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.company}"


class Invitation(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["company", "-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"


class Supplier(models.Model):
    """A smart-factory supplier (공급기업). Public in the pool only once staff approve it."""

    name = models.CharField(_("supplier name"), max_length=200)
    registration_number = RegistrationNumberField(_("business registration number"),
                                                  unique=True)
    specialties = models.CharField(_("specialties"), max_length=300, blank=True)
    industries = models.CharField(_("industries served"), max_length=300, blank=True)
    processes = models.CharField(_("processes served"), max_length=300, blank=True)
    region = models.ForeignKey("programs.Region", verbose_name=_("region"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="suppliers")
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    past_builds = models.PositiveIntegerField(_("past smart-factory builds"), default=0)
    approved = models.BooleanField(_("approved for the pool"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name


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
        constraints = [
            models.UniqueConstraint(fields=["company", "call"],
                                    name="one_application_per_company_per_call",
                                    violation_error_message=_(
                                        "This company already has an application for this "
                                        "call.")),
        ]

    def __str__(self):
        return self.receipt_number or f"{self.company} · {self.call.code} ({self.pk})"


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


def document_path(instance, filename):
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file attached to an application; never under a public URL (see the download view)."""

    application = models.ForeignKey(Application, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey("programs.DocumentType", verbose_name=_("document type"),
                                      on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "document_type", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.original_name


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


# Clusters of the cluster programme and their members (see cluster_models.py).
from .cluster_models import *  # noqa: E402, F401, F403
