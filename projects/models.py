"""The post-award life cycle (DOMAIN.md §9): agreements and their frozen versions, change
requests, promotion runs and their additional selection notices, the supplier's technical
design, and each call's post-award terms.

Where an application is in its life cycle is its own status (``applications``: agreement,
in progress, declined, lapsed, cancelled), changed only through the state-change mechanism;
these models hold what each step records. Money is integer won.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.models import new_verification_code
from portal.models import AuditRow, StoredFile

from .enums import OPEN_STATUSES, ChangeKind, ChangeStatus, NoticeStatus, PromotionStatus


class CallTerms(models.Model):
    """A call's post-award settings (the figures DOMAIN.md marks **assumed**). A call without
    a row has the defaults (``selectors.terms_of``)."""

    call = models.OneToOneField("programs.Call", verbose_name=_("call"),
                                on_delete=models.CASCADE, related_name="post_award_terms")
    agreement_days = models.PositiveSmallIntegerField(
        _("days to accept the agreement"), default=14,
        help_text=_("Counted from the selection notice, in Korea time."))
    project_months = models.PositiveSmallIntegerField(
        _("project period (months)"), default=6, help_text=_("From the acceptance."))
    design_months = models.PositiveSmallIntegerField(
        _("technical design due (months)"), default=3, help_text=_("From the acceptance."))
    design_reminder_days = models.PositiveSmallIntegerField(
        _("design reminder (days before)"), default=7)
    promotion_days = models.PositiveSmallIntegerField(
        _("promotion window (days)"), default=60,
        help_text=_("Promotion closes this many days after the first notices, unless a "
                    "date is set."))
    promotion_ends_on = models.DateField(_("promotion ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("post-award terms")
        verbose_name_plural = _("post-award terms")

    def __str__(self):
        return str(self.call)


class Agreement(models.Model):
    """The agreement (협약) of one selected application: what the company confirms or
    corrects before it accepts, then the frozen versions. ``award_*`` is the ceiling (the
    award on the budget lines), ``national``/``provincial``/``municipal`` the agreed support,
    always computed by the server and never above the award (a database check)."""

    application = models.OneToOneField("applications.Application",
                                       verbose_name=_("application"),
                                       on_delete=models.PROTECT, related_name="agreement")
    result_line = models.ForeignKey("awards.ResultLine", verbose_name=_("result line"),
                                    on_delete=models.PROTECT, related_name="+")
    promotion_line = models.OneToOneField("PromotionLine", verbose_name=_("promotion"),
                                          null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="agreement")
    award_national = models.PositiveBigIntegerField(_("national award (won)"), default=0)
    award_provincial = models.PositiveBigIntegerField(_("provincial award (won)"), default=0)
    award_municipal = models.PositiveBigIntegerField(_("city/county award (won)"), default=0)
    noticed_at = models.DateTimeField(_("notice issued at"))
    deadline = models.DateTimeField(_("accept by"), db_index=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # What the company confirms or corrects.
    period_months = models.PositiveSmallIntegerField(_("project period (months)"), default=6)
    supplier = models.ForeignKey("companies.Supplier", verbose_name=_("supplier from the pool"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    supplier_name = models.CharField(_("supplier name"), max_length=200, blank=True)
    supplier_registration_number = models.CharField(
        _("supplier business registration number"), max_length=10, blank=True)
    cost_software = models.PositiveBigIntegerField(_("software"), default=0)
    cost_hardware = models.PositiveBigIntegerField(_("hardware"), default=0)
    cost_consulting = models.PositiveBigIntegerField(_("consulting"), default=0)
    cost_other = models.PositiveBigIntegerField(_("other costs"), default=0)
    contribution_cash = models.PositiveBigIntegerField(_("contribution in cash"), default=0)
    contribution_in_kind = models.PositiveBigIntegerField(_("contribution in kind"), default=0)
    national = models.PositiveBigIntegerField(_("national share (won)"), default=0)
    provincial = models.PositiveBigIntegerField(_("provincial share (won)"), default=0)
    municipal = models.PositiveBigIntegerField(_("city/county share (won)"), default=0)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    account_number = models.CharField(_("account number"), max_length=30, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=100, blank=True)
    # Acceptance and after.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    period_start = models.DateField(_("project starts"), null=True, blank=True)
    period_end = models.DateField(_("project ends"), null=True, blank=True)
    design_due = models.DateField(_("technical design due"), null=True, blank=True)
    design_reminded_at = models.DateTimeField(_("design reminder sent"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    closed_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(national__lte=F("award_national"))
                & Q(provincial__lte=F("award_provincial"))
                & Q(municipal__lte=F("award_municipal")),
                name="agreement_support_within_award",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True)
                | (Q(period_start__isnull=False) & Q(period_end__isnull=False)),
                name="agreement_accepted_has_period",
            ),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def award(self) -> dict[str, int]:
        return {"national": self.award_national, "provincial": self.award_provincial,
                "municipal": self.award_municipal}

    @property
    def award_total(self) -> int:
        return self.award_national + self.award_provincial + self.award_municipal

    @property
    def shares(self) -> dict[str, int]:
        return {"national": self.national, "provincial": self.provincial,
                "municipal": self.municipal}

    @property
    def support_total(self) -> int:
        return self.national + self.provincial + self.municipal

    @property
    def costs(self) -> dict[str, int]:
        return {"software": self.cost_software, "hardware": self.cost_hardware,
                "consulting": self.cost_consulting, "other": self.cost_other}

    @property
    def total_cost(self) -> int:
        return sum(self.costs.values())

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_open(self) -> bool:
        """Waiting for the company's acceptance (notified of its selection, or promoted)."""
        return not self.is_accepted and self.application.status in OPEN_STATUSES

    @property
    def stage_label(self):
        if self.is_open:
            return _("Agreement to accept")
        return self.application.get_status_display()


def version_path(instance, filename):
    return f"agreements/{instance.agreement_id}/{instance.code}.pdf"


class AgreementVersion(models.Model):
    """An agreement as accepted, or as a change request approved it: every figure frozen,
    with its PDF and verification code (checked on the notices' public verify page)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"),
                                  on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    change_request = models.OneToOneField("ChangeRequest", verbose_name=_("change request"),
                                          null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="version")
    data = models.JSONField(_("agreement as agreed"))
    total_cost = models.PositiveBigIntegerField(_("total project cost (won)"))
    national = models.PositiveBigIntegerField(_("national share (won)"), default=0)
    provincial = models.PositiveBigIntegerField(_("provincial share (won)"), default=0)
    municipal = models.PositiveBigIntegerField(_("city/county share (won)"), default=0)
    period_start = models.DateField(_("project starts"))
    period_end = models.DateField(_("project ends"))
    code = models.CharField(_("verification code"), max_length=14, unique=True,
                            default=new_verification_code)
    file = models.FileField(_("PDF"), upload_to=version_path, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-number"]
        get_latest_by = "number"
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"],
                                    name="agreement_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.agreement} v{self.number}"

    @property
    def support_total(self) -> int:
        return self.national + self.provincial + self.municipal

    @property
    def is_ready(self) -> bool:
        return bool(self.file) and self.generated_at is not None


class ChangeRequest(models.Model):
    """A change request (협약변경) of an accepted agreement, decided by staff or the region's
    operator. ``proposed`` holds what changes: ``{"months": 2}``, ``{"supplier_name": …,
    "supplier_registration_number": …}``, ``{"costs": {…}}`` or ``{"schedule": "…"}``."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"),
                                  on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ChangeStatus.choices,
                              default=ChangeStatus.PENDING, db_index=True)
    cause_on = models.DateField(_("date of the cause"))
    reason = models.TextField(_("reason"))
    proposed = models.JSONField(_("proposed change"), default=dict, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"),
                                 null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self):
        return f"{self.agreement} · {self.get_kind_display()}"


class ChangeRequestEvent(AuditRow):
    """The audit trail of a change request's decision."""

    change_request = models.ForeignKey(ChangeRequest, verbose_name=_("change request"),
                                       on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=ChangeStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ChangeStatus.choices)

    class Meta:
        ordering = ["change_request", "created_at", "pk"]
        verbose_name = _("change request event")
        verbose_name_plural = _("change request events")


class PromotionRun(models.Model):
    """A promotion (추가 선정) of one track: previewed, then confirmed under the call's
    budget-line locks like an award run. ``inputs`` holds what it was computed from."""

    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="promotion_runs")
    track = models.ForeignKey("programs.Track", verbose_name=_("track"),
                              on_delete=models.PROTECT, related_name="promotion_runs")
    status = models.CharField(_("status"), max_length=20, choices=PromotionStatus.choices,
                              default=PromotionStatus.PREVIEW, db_index=True)
    rule_version = models.CharField(_("rule version"), max_length=40)
    inputs = models.JSONField(_("inputs"), default=dict)
    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"),
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["call", "-started_at", "-pk"]
        verbose_name = _("promotion run")
        verbose_name_plural = _("promotion runs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PromotionStatus.CONFIRMED)
                | (Q(confirmed_by__isnull=False) & Q(confirmed_at__isnull=False)),
                name="promotion_run_confirmed_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.call.code} · {self.track_id} #{self.pk}"


class PromotionRunEvent(AuditRow):
    """The audit trail of a promotion run's status."""

    run = models.ForeignKey(PromotionRun, verbose_name=_("promotion run"),
                            on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=PromotionStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=PromotionStatus.choices)

    class Meta:
        ordering = ["run", "created_at", "pk"]
        verbose_name = _("promotion run event")
        verbose_name_plural = _("promotion run events")


class PromotionLine(models.Model):
    """One waitlisted application considered by a promotion run, promoted or not. The shares
    are its waitlisted result line's (what a selection gives it)."""

    run = models.ForeignKey(PromotionRun, verbose_name=_("promotion run"),
                            on_delete=models.CASCADE, related_name="lines")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.PROTECT, related_name="promotion_lines")
    result_line = models.ForeignKey("awards.ResultLine", verbose_name=_("result line"),
                                    on_delete=models.PROTECT, related_name="+")
    waitlist_position = models.PositiveIntegerField(_("waitlist position"))
    promoted = models.BooleanField(_("promoted"))
    national = models.PositiveBigIntegerField(_("national share (won)"), default=0)
    provincial = models.PositiveBigIntegerField(_("provincial share (won)"), default=0)
    municipal = models.PositiveBigIntegerField(_("city/county share (won)"), default=0)

    class Meta:
        ordering = ["run", "waitlist_position", "pk"]
        verbose_name = _("promotion line")
        verbose_name_plural = _("promotion lines")
        constraints = [
            models.UniqueConstraint(fields=["run", "application"],
                                    name="promotion_line_one_per_application"),
        ]

    def __str__(self):
        return f"{self.run} · {self.application_id}"

    @property
    def support_total(self) -> int:
        return self.national + self.provincial + self.municipal


def additional_notice_path(instance, filename):
    return f"notices/promotions/{instance.line.run_id}/{instance.code}.pdf"


class AdditionalNotice(models.Model):
    """The additional selection notice (추가 선정 통지서) of one promoted application."""

    line = models.OneToOneField(PromotionLine, verbose_name=_("promotion line"),
                                on_delete=models.PROTECT, related_name="notice")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.PROTECT, related_name="additional_notices")
    code = models.CharField(_("verification code"), max_length=14, unique=True,
                            default=new_verification_code)
    status = models.CharField(_("status"), max_length=20, choices=NoticeStatus.choices,
                              default=NoticeStatus.PENDING)
    file = models.FileField(_("PDF"), upload_to=additional_notice_path, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("additional selection notice")
        verbose_name_plural = _("additional selection notices")

    def __str__(self):
        return self.code

    @property
    def is_ready(self) -> bool:
        return bool(self.file) and self.generated_at is not None


class AdditionalNoticeEvent(AuditRow):
    """The audit trail of an additional selection notice's status."""

    notice = models.ForeignKey(AdditionalNotice, verbose_name=_("additional selection notice"),
                               on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=20, choices=NoticeStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=NoticeStatus.choices)

    class Meta:
        ordering = ["notice", "created_at", "pk"]
        verbose_name = _("additional notice event")
        verbose_name_plural = _("additional notice events")


class DesignDocument(StoredFile):
    """The supplier's technical design of a project, uploaded by the company (or by the
    supplier through the company's invitation: a member of the company)."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"),
                                  on_delete=models.CASCADE, related_name="designs")

    class Meta:
        ordering = ["agreement", "-uploaded_at", "-pk"]
        verbose_name = _("technical design")
        verbose_name_plural = _("technical designs")

    def upload_folder(self) -> str:
        return f"agreements/{self.agreement_id}/design"

