"""Award runs, their result lines and the notices sent from them.

A run stores everything it was computed from (``inputs``, JSON) and the rule version, so any
figure on a notice can be reproduced later from the run alone. Money is integer won.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import AuditRow

from .enums import NoticeStatus, Outcome, RunStatus


class AwardRun(models.Model):
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="award_runs")
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices,
                              default=RunStatus.QUEUED, db_index=True)
    rule_version = models.CharField(_("rule version"), max_length=40, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    inputs_hash = models.CharField(_("inputs hash"), max_length=64, blank=True)
    # Copies of two stored inputs, so that a notice is rendered without reading ``inputs``.
    cutoff_score = models.DecimalField(_("cut-off score"), max_digits=5, decimal_places=2,
                                       null=True, blank=True)
    min_cash_share = models.DecimalField(_("minimum cash share"), max_digits=5,
                                         decimal_places=4, null=True, blank=True)
    refusal_reason = models.TextField(_("reason refused"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"),
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["call", "-started_at", "-pk"]
        verbose_name = _("award run")
        verbose_name_plural = _("award runs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=RunStatus.CONFIRMED)
                | (Q(confirmed_by__isnull=False) & Q(confirmed_at__isnull=False)),
                name="award_run_confirmed_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(status=RunStatus.QUEUED) | Q(status=RunStatus.REFUSED)
                | ~Q(inputs_hash=""),
                name="award_run_computed_has_inputs_hash",
            ),
        ]

    def __str__(self):
        return f"{self.call.code} #{self.pk}"

    @property
    def is_confirmed(self):
        return self.status == RunStatus.CONFIRMED


class ResultLine(models.Model):
    """One application's result in a run. ``national``/``provincial``/``municipal`` are the
    support computed for it by the money rules; the budget lines pay them only when the
    outcome is *selected* (the other outcomes show what a selection would have given)."""

    run = models.ForeignKey(AwardRun, verbose_name=_("award run"), on_delete=models.CASCADE,
                            related_name="lines")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.PROTECT, related_name="result_lines")
    track = models.ForeignKey("programs.Track", verbose_name=_("track"),
                              on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("position in the run"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    rank = models.PositiveIntegerField(_("rank in the track"))
    track_size = models.PositiveIntegerField(_("applications ranked in the track"))
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True,
                                                    blank=True)
    final_score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    stability = models.DecimalField(
        _("stability (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        help_text=_("Share of leave-one-reviewer-out recomputations of the whole allocation in "
                    "which the application keeps this outcome (DOMAIN.md §5.1)."))
    project_cost = models.PositiveBigIntegerField(_("project cost (won)"))
    eligible_cost = models.PositiveBigIntegerField(_("eligible cost (won)"))
    national = models.PositiveBigIntegerField(_("national share (won)"), default=0)
    provincial = models.PositiveBigIntegerField(_("provincial share (won)"), default=0)
    municipal = models.PositiveBigIntegerField(_("city/county share (won)"), default=0)
    contribution_cash = models.PositiveBigIntegerField(_("contribution in cash (won)"))
    contribution_in_kind = models.PositiveBigIntegerField(_("contribution in kind (won)"))
    members = models.JSONField(
        _("member companies"), default=list, blank=True,
        help_text=_("For a cluster: each member company's cost and support."))

    class Meta:
        ordering = ["run", "position"]
        verbose_name = _("result line")
        verbose_name_plural = _("result lines")
        constraints = [
            models.UniqueConstraint(fields=["run", "application"],
                                    name="result_line_one_per_application_per_run"),
            models.UniqueConstraint(fields=["run", "position"],
                                    name="result_line_position_unique"),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=F("track_size")),
                name="result_line_rank_within_track",
            ),
            models.CheckConstraint(
                condition=Q(eligible_cost__lte=F("project_cost")),
                name="result_line_eligible_within_cost",
            ),
            models.CheckConstraint(
                condition=Q(project_cost=F("national") + F("provincial") + F("municipal")
                            + F("contribution_cash") + F("contribution_in_kind")),
                name="result_line_support_plus_contribution_is_cost",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.WAITLISTED, waitlist_position__isnull=False)
                | (~Q(outcome=Outcome.WAITLISTED) & Q(waitlist_position__isnull=True)),
                name="result_line_waitlist_position_only_when_waitlisted",
            ),
        ]

    def __str__(self):
        return f"{self.run} · {self.application_id} · {self.outcome}"

    @property
    def support_total(self) -> int:
        return self.national + self.provincial + self.municipal

    @property
    def contribution(self) -> int:
        return self.contribution_cash + self.contribution_in_kind

    @property
    def is_selected(self) -> bool:
        return self.outcome == Outcome.SELECTED

    def share(self, source: str) -> int:
        return getattr(self, source)


# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


CODE_SPACE = len(CODE_ALPHABET) ** 12


def new_verification_code() -> str:
    """``XXXX-XXXX-XXXX``: 12 symbols of a 31-letter alphabet (about 59 bits), uniformly: the
    base-31 digits of one random number below 31¹², lowest first (one draw of the system's
    randomness instead of twelve, for the 10,000 notices of a confirmation)."""
    number = secrets.randbelow(CODE_SPACE)
    symbols = []
    for _place in range(12):
        number, digit = divmod(number, len(CODE_ALPHABET))
        symbols.append(CODE_ALPHABET[digit])
    symbols = "".join(symbols)
    return "-".join(symbols[i:i + 4] for i in range(0, 12, 4))


def normalise_code(text: str) -> str:
    """A code as people type it (lower case, spaces, no dashes) in its printed form."""
    symbols = "".join(c for c in text.upper() if c in CODE_ALPHABET)
    if len(symbols) != 12:
        return text.strip().upper()
    return "-".join(symbols[i:i + 4] for i in range(0, 12, 4))


def notice_path(instance, filename):
    return f"notices/{instance.run_id}/{instance.code}.pdf"


def notices_group(run_id: int) -> str:
    """The outbox group of a run's notice tasks and emails (``outbox.Message.group``)."""
    return f"award-run-{run_id}-notices"


class Notice(models.Model):
    """The selection, waitlist or non-selection notice of one application in one run."""

    run = models.ForeignKey(AwardRun, verbose_name=_("award run"), on_delete=models.PROTECT,
                            related_name="notices")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.PROTECT, related_name="notices")
    line = models.OneToOneField(ResultLine, verbose_name=_("result line"),
                                on_delete=models.PROTECT, related_name="notice")
    kind = models.CharField(_("kind"), max_length=20, choices=Outcome.choices)
    code = models.CharField(_("verification code"), max_length=14, unique=True,
                            default=new_verification_code)
    status = models.CharField(_("status"), max_length=20, choices=NoticeStatus.choices,
                              default=NoticeStatus.PENDING, db_index=True)
    file = models.FileField(_("PDF"), upload_to=notice_path, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["run", "line__position"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(fields=["application", "run"],
                                    name="notice_one_per_application_per_run"),
            models.CheckConstraint(
                condition=Q(status__in=[NoticeStatus.PENDING, NoticeStatus.QUEUED,
                                        NoticeStatus.FAILED])
                | (~Q(file="") & Q(generated_at__isnull=False)),
                name="notice_generated_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.code}"

    @property
    def is_ready(self) -> bool:
        return bool(self.file) and self.generated_at is not None


class AwardRunStateChange(AuditRow):
    """The run's audit trail: one row per change of its state (who, when, from, to, why)."""

    run = models.ForeignKey(AwardRun, verbose_name=_("award run"), on_delete=models.CASCADE,
                            related_name="state_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=RunStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=RunStatus.choices)

    class Meta:
        ordering = ["run", "created_at", "pk"]
        verbose_name = _("award run state change")
        verbose_name_plural = _("award run state changes")

    def __str__(self):
        return f"{self.run_id}: {self.from_status} → {self.to_status}"


class NoticeStateChange(AuditRow):
    """The notice's audit trail: one row per change of its state."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE,
                               related_name="state_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=NoticeStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=NoticeStatus.choices)

    class Meta:
        ordering = ["notice", "created_at", "pk"]
        verbose_name = _("notice state change")
        verbose_name_plural = _("notice state changes")

    def __str__(self):
        return f"{self.notice_id}: {self.from_status} → {self.to_status}"
