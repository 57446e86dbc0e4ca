"""Programmes, calls, tracks, budgets, rubrics and announcements.

Names and texts entered by staff are Korean first (``name``) with an optional English version
(``name_en``); templates pick one with the ``tr`` filter. Money is integer won, rates Decimal.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.numbers import MAX_WON

from .enums import (
    AnnouncementAction,
    AnnouncementStatus,
    CallStatus,
    FundingSource,
    TrackKind,
    source_order,
)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    agency = models.CharField(_("operating agency"), max_length=100, blank=True)
    agency_en = models.CharField(_("operating agency (English)"), max_length=100, blank=True)
    inquiry_phone = models.CharField(_("inquiry phone"), max_length=30, blank=True)
    inquiry_email = models.EmailField(_("inquiry email"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    ministry = models.CharField(_("ministry"), max_length=100, default="중소벤처기업부")
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return f"{self.year} {self.name}"


class DocumentType(models.Model):
    """A kind of document a call may require (business registration certificate, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self):
        return self.name


class CallQuerySet(models.QuerySet):
    def with_status(self, status, now=None):
        now = now or timezone.now()
        if status == CallStatus.UPCOMING:
            return self.filter(opens_at__gt=now)
        if status == CallStatus.OPEN:
            return self.filter(opens_at__lte=now, closes_at__gt=now)
        if status == CallStatus.CLOSED:
            return self.filter(closes_at__lte=now)
        return self


class Call(models.Model):
    """A programme's call for one region, or nationwide when ``region`` is empty."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="calls"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="calls",
        help_text=_("Leave empty for a nationwide call."),
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Prefix of receipt numbers, such as 2025-GB."),
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=100)
    sector_en = models.CharField(_("sector (English)"), max_length=100, blank=True)
    ksic_codes = models.JSONField(
        _("eligible KSIC codes"),
        default=list,
        blank=True,
        help_text=_("Industry codes accepted, such as C10 and C11. Empty means any."),
    )
    opens_at = models.DateTimeField(_("application opens"))
    closes_at = models.DateTimeField(_("application closes"))
    total_budget = models.PositiveBigIntegerField(_("total budget (won)"))
    rounding_unit = models.PositiveIntegerField(
        _("rounding unit (won)"),
        default=1000,
        validators=[MinValueValidator(1)],
        help_text=_("Support amounts are rounded down to this unit."),
    )
    min_cash_share = models.DecimalField(
        _("minimum cash share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("Least share of the company contribution paid in cash, 0.5 for 50%."),
    )
    cutoff_score = models.DecimalField(
        _("cut-off score"), max_digits=5, decimal_places=2, default=Decimal("70.00")
    )
    required_documents = models.ManyToManyField(
        DocumentType, verbose_name=_("required documents"), blank=True, related_name="calls"
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "code"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="call_window_ends_after_start",
                violation_error_message=_("The application window must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The application window must end after it starts.")}
            )

    def status(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return CallStatus.UPCOMING
        if now < self.closes_at:
            return CallStatus.OPEN
        return CallStatus.CLOSED

    @property
    def is_open(self):
        return self.status() == CallStatus.OPEN

    @property
    def is_nationwide(self):
        return self.region_id is None


class Track(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE,
                             related_name="tracks")
    kind = models.CharField(_("kind"), max_length=20, choices=TrackKind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(
        _("allocation order"), default=1, help_text=_("Tracks are allocated in this order.")
    )
    target_count = models.PositiveIntegerField(
        _("target count"), null=True, blank=True,
        help_text=_("Companies to select; empty when only the budget limits it."),
    )
    max_project_cost = models.PositiveBigIntegerField(
        _("maximum project cost (won)"), null=True, blank=True,
        validators=[MaxValueValidator(MAX_WON)],
    )
    total_cap = models.PositiveBigIntegerField(
        _("total support cap per company (won)"), null=True, blank=True,
        validators=[MaxValueValidator(MAX_WON)],
    )
    min_members = models.PositiveSmallIntegerField(
        _("minimum cluster members"), null=True, blank=True,
        help_text=_("For a cluster track: the fewest member companies a cluster may have."),
    )

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["call", "order"], name="track_order_unique_per_call"),
        ]

    def __str__(self):
        return f"{self.call.code} · {self.name}"


class FundingShare(models.Model):
    """One funding source's share of a track's support: rate and per-company cap."""

    track = models.ForeignKey(Track, verbose_name=_("track"), on_delete=models.CASCADE,
                              related_name="shares")
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    rate = models.DecimalField(
        _("rate"), max_digits=5, decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
        help_text=_("0.5 for 50%."),
    )
    per_company_cap = models.PositiveBigIntegerField(
        _("cap per company (won)"), null=True, blank=True,
        validators=[MaxValueValidator(MAX_WON)],
    )

    class Meta:
        ordering = ["track", source_order()]
        verbose_name = _("funding share")
        verbose_name_plural = _("funding shares")
        constraints = [
            models.UniqueConstraint(fields=["track", "source"], name="share_source_unique"),
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lte=1), name="share_rate_between_0_and_1"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.rate:%}"


class BudgetLine(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE,
                             related_name="budget_lines")
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (won)"))

    class Meta:
        ordering = ["call", source_order()]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["call", "source"], name="budget_line_unique_source"),
        ]

    def __str__(self):
        return f"{self.call.code} · {self.get_source_display()}"


class LinkedProgramme(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE,
                             related_name="linked_programmes")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("linked programme")
        verbose_name_plural = _("linked programmes")

    def __str__(self):
        return self.name


class Event(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE,
                             related_name="events")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    location_en = models.CharField(_("location (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["call", "starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    @property
    def is_past(self) -> bool:
        """Started already: the announcement marks it ended (종료)."""
        return self.starts_at <= timezone.now()


class EvaluationRound(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", pgettext_lazy("evaluation round", "Document review")
        PRESENTATION = "presentation", pgettext_lazy("evaluation round", "Presentation")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE,
                             related_name="rounds")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    locked_at = models.DateTimeField(
        _("locked at"), null=True, blank=True, editable=False,
        help_text=_("Set when the first score is submitted; the rubric cannot change after."),
    )
    # The round's place in the final score and who passes on (DOMAIN.md §5.1). A call's rounds'
    # weights add up to 100; a one-round call's round weighs 100 and passes everyone on.
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The round's share of the final score; the call's rounds add up to 100."))
    pass_mark = models.DecimalField(
        _("pass mark"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Only applications whose round score reaches it pass on to the next round."))
    pass_multiple = models.DecimalField(
        _("pass multiple of the target"), max_digits=4, decimal_places=2, null=True,
        blank=True, validators=[MinValueValidator(Decimal("1"))],
        help_text=_("Only applications ranked within this multiple of the track's target pass "
                    "on (1.5: 15 places for a target of 10)."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"),
                                  null=True, blank=True, editable=False,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(
        _("opened at"), null=True, blank=True, editable=False,
        help_text=_("A later round opens when staff open it for those who passed the one "
                    "before."))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"),
                                  null=True, blank=True, editable=False,
                                  on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["call", "order"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [
            models.UniqueConstraint(fields=["call", "kind"], name="round_kind_unique_per_call"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100),
                                   name="round_weight_percent"),
            models.CheckConstraint(condition=Q(pass_multiple__isnull=True)
                                   | Q(pass_multiple__gte=1),
                                   name="round_pass_multiple_at_least_one"),
        ]

    def __str__(self):
        return f"{self.call.code} · {self.get_kind_display()}"


class Criterion(models.Model):
    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"),
                              on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["round", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class BonusItem(models.Model):
    """A bonus (가점) an application may claim; it counts only once staff verify it."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE,
                             related_name="bonus_items")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["call", "order", "pk"]
        verbose_name = _("bonus item")
        verbose_name_plural = _("bonus items")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="bonus_code_unique_per_call"),
            models.CheckConstraint(condition=Q(points__gt=0), name="bonus_points_positive"),
        ]

    def __str__(self):
        return f"{self.name} (+{self.points})"


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=AnnouncementStatus.PUBLISHED)


class Announcement(models.Model):
    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="announcements")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"))
    body_en = models.TextField(_("body in English (Markdown)"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AnnouncementStatus.choices,
                              default=AnnouncementStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=AnnouncementStatus.DRAFT) | Q(published_at__isnull=False),
                name="announcement_published_has_date",
            ),
        ]
        indexes = [
            # The public list, home page and feed: published ones, newest first, a page at a
            # time (an index scan that stops at the page instead of sorting them all).
            models.Index(fields=["status", "-published_at", "-id"],
                         name="announcement_public_order"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.status == AnnouncementStatus.PUBLISHED


def attachment_path(instance, filename):
    # The stored name is random; the original name is kept in the row, never on disk.
    return f"announcements/{instance.announcement_id}/{uuid.uuid4().hex}"


class AnnouncementAttachment(models.Model):
    announcement = models.ForeignKey(Announcement, verbose_name=_("announcement"),
                                     on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["announcement", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class AnnouncementChange(models.Model):
    """One line of an announcement's audit trail: who did what, when."""

    announcement = models.ForeignKey(Announcement, verbose_name=_("announcement"),
                                     on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=AnnouncementAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["announcement", "at", "pk"]
        verbose_name = _("announcement change")
        verbose_name_plural = _("announcement changes")

    def __str__(self):
        return f"{self.announcement_id} · {self.get_action_display()}"
