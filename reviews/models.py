"""Reviewers, their assignments to applications, conflicts of interest, scores and the audit.

The rubric itself (rounds, criteria, bonus items) lives in ``programs``; an ``Assignment`` ties one
reviewer to one application in one evaluation round and carries the review's state: the
conflict-of-interest answer, the submission time and whether staff released the reviewer.
"""

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.models import RegistrationNumberField
from companies.validators import format_registration_number
from portal.models import AuditRow

from .enums import AssignmentState, ConflictStatus, PassRule, ReviewAction, ScoreBasis


class ExpertiseTag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expertise tag")
        verbose_name_plural = _("expertise tags")

    def __str__(self):
        return self.name


class ReviewerProfile(models.Model):
    """Makes an account a reviewer (평가위원): its affiliation, expertise and committees."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="reviewer_profile")
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_registration_number = RegistrationNumberField(
        _("organisation's business registration number"),
        help_text=_("An application whose company or supplier has this number is never "
                    "assigned to the reviewer."),
    )
    expertise = models.ManyToManyField(ExpertiseTag, verbose_name=_("expertise"), blank=True,
                                       related_name="reviewers")
    calls = models.ManyToManyField("programs.Call", verbose_name=_("evaluation committees"),
                                   blank=True, related_name="reviewers",
                                   help_text=_("Calls whose applications the reviewer may be "
                                               "assigned automatically."))
    rounds = models.ManyToManyField(
        "programs.EvaluationRound", verbose_name=_("round committees"), blank=True,
        related_name="committee",
        help_text=_("Rounds with a committee of their own (a presentation round, say). A round "
                    "no reviewer is named for uses the committee of its call."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user__full_name", "pk"]
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")

    def __str__(self):
        return str(self.user)

    @property
    def registration_number_display(self):
        return format_registration_number(self.organisation_registration_number)


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        """Not released by staff."""
        return self.filter(released_at__isnull=True)

    def counting(self):
        """Active and not conflicted: the reviews that count towards an application's n."""
        return self.active().exclude(conflict=ConflictStatus.DECLARED)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def needing_replacement(self):
        return self.active().filter(conflict=ConflictStatus.DECLARED)


class Assignment(models.Model):
    """One reviewer reviewing one application in one evaluation round."""

    round = models.ForeignKey("programs.EvaluationRound", verbose_name=_("evaluation round"),
                              on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(ReviewerProfile, verbose_name=_("reviewer"),
                                 on_delete=models.PROTECT, related_name="assignments")
    conflict = models.CharField(_("conflict of interest"), max_length=20,
                                choices=ConflictStatus.choices, default=ConflictStatus.PENDING)
    conflict_reason = models.TextField(_("conflict reason"), blank=True)
    conflict_answered_at = models.DateTimeField(_("conflict answered at"), null=True,
                                                blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    released_at = models.DateTimeField(
        _("released at"), null=True, blank=True,
        help_text=_("Set when staff take the application off this reviewer; the row stays so "
                    "that the reviewer is never assigned to it again by accident."))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "application_id", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "application", "reviewer"], name="assignment_unique_reviewer",
                violation_error_message=_("This reviewer is already assigned to this "
                                          "application.")),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(conflict=ConflictStatus.NONE),
                name="assignment_submitted_only_without_conflict"),
            models.CheckConstraint(
                condition=~Q(conflict=ConflictStatus.DECLARED) | ~Q(conflict_reason=""),
                name="assignment_declared_conflict_has_reason"),
        ]

    def __str__(self):
        return f"{self.application} · {self.reviewer}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def state(self) -> AssignmentState:
        if self.released_at:
            return AssignmentState.RELEASED
        if self.conflict == ConflictStatus.DECLARED:
            return AssignmentState.CONFLICT
        if self.conflict == ConflictStatus.PENDING:
            return AssignmentState.CONFLICT_CHECK
        if self.submitted_at:
            return AssignmentState.SUBMITTED
        return AssignmentState.IN_PROGRESS


class Score(models.Model):
    """A reviewer's points and comment on one criterion; empty points while a draft."""

    assignment = models.ForeignKey(Assignment, verbose_name=_("assignment"),
                                   on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("programs.Criterion", verbose_name=_("criterion"),
                                  on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1, null=True,
                                 blank=True)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["assignment_id", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"],
                                    name="score_unique_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_not_negative"),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.criterion.name}: {self.points}"


class ReviewEvent(AuditRow):
    """The audit of an assignment: assigned, conflict answered, submitted, reopened, released."""

    assignment = models.ForeignKey(Assignment, verbose_name=_("assignment"),
                                   on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)

    class Meta:
        ordering = ["assignment_id", "created_at", "pk"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")

    def __str__(self):
        return f"{self.assignment}: {self.get_action_display()}"


class CallScoring(models.Model):
    """Which score allocates a call's awards (DOMAIN.md §5.1): the rule score unless staff
    chose the calibrated score before the call's first review was submitted. No row: the rule
    score. Who chose and when is kept on the row."""

    call = models.OneToOneField("programs.Call", verbose_name=_("call"),
                                on_delete=models.CASCADE, related_name="scoring")
    basis = models.CharField(_("score that allocates"), max_length=20,
                             choices=ScoreBasis.choices, default=ScoreBasis.RULE)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("call scoring")
        verbose_name_plural = _("call scorings")

    def __str__(self):
        return f"{self.call}: {self.get_basis_display()}"


class RoundExemption(AuditRow):
    """Staff let an application skip a round (the 2025 reform's exemption from the document
    round, DOMAIN.md §5.1): it is not reviewed there and passes on; who, why and when are the
    audit."""

    round = models.ForeignKey("programs.EvaluationRound", verbose_name=_("evaluation round"),
                              on_delete=models.CASCADE, related_name="exemptions")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="round_exemptions")

    class Meta:
        ordering = ["round_id", "application_id"]
        verbose_name = _("round exemption")
        verbose_name_plural = _("round exemptions")
        constraints = [
            models.UniqueConstraint(fields=["round", "application"],
                                    name="round_exemption_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="round_exemption_has_reason"),
        ]

    def __str__(self):
        return f"{self.round} · {self.application}"


class RoundResult(models.Model):
    """What closing a round decided for one application: its round score and rank, whether
    it passes on to the next round and the rule that decided it."""

    round = models.ForeignKey("programs.EvaluationRound", verbose_name=_("evaluation round"),
                              on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey("applications.Application", verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="round_results")
    score = models.DecimalField(_("round score"), max_digits=5, decimal_places=2, null=True,
                                blank=True)
    rank = models.PositiveIntegerField(_("rank in track"), null=True, blank=True)
    places = models.PositiveIntegerField(
        _("places passing on"), null=True, blank=True,
        help_text=_("The pass multiple times the track's target, rounded down."))
    passed = models.BooleanField(_("passes on"))
    rule = models.CharField(_("rule that decided"), max_length=20, choices=PassRule.choices)

    class Meta:
        ordering = ["round_id", "application_id"]
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="round_result_unique"),
        ]

    def __str__(self):
        return f"{self.round} · {self.application}: {self.get_rule_display()}"


class RoundRevisionManager(models.Manager):
    def bump(self, *, round_ids=None, application_id=None) -> None:
        """Count one more change of what the rounds' standings are computed from: of the
        rounds ``round_ids``, or of every round of the call of ``application_id``. One
        statement, in the caller's transaction (the standing computed from the old rows is
        stale from the moment the change is visible)."""
        table = connection.ops.quote_name(self.model._meta.db_table)
        if round_ids is not None:
            if not round_ids:
                return
            source, params = (f"SELECT id AS id FROM programs_evaluationround WHERE id IN "
                              f"({', '.join(['%s'] * len(round_ids))})", list(round_ids))
        else:
            source, params = ("SELECT r.id AS id FROM programs_evaluationround r JOIN "
                              "applications_application a ON a.call_id = r.call_id "
                              "WHERE a.id = %s", [application_id])
        with connection.cursor() as cursor:
            # "WHERE true": SQLite's parser needs it between a SELECT and ON CONFLICT.
            cursor.execute(
                f"INSERT INTO {table} (round_id, value) SELECT s.id, 1 FROM ({source}) "
                f"AS s WHERE true ON CONFLICT (round_id) DO UPDATE SET value = "
                f"{table}.value + 1", params)


class RoundRevision(models.Model):
    """How many times what a round's standing is computed from has changed: its submitted
    reviews and their scores, its assignments, conflicts, verified bonus points, the
    applications' tracks and submission times. ``reviews.receivers`` counts every save,
    delete and bulk insert (``portal.bulk.inserted``)."""

    round = models.OneToOneField("programs.EvaluationRound", on_delete=models.CASCADE,
                                 primary_key=True, related_name="revision")
    value = models.PositiveBigIntegerField(default=0)

    objects = RoundRevisionManager()

    class Meta:
        verbose_name = _("round revision")
        verbose_name_plural = _("round revisions")

    def __str__(self):
        return f"{self.round_id}: {self.value}"


class Standing(models.Model):
    """The ranking of a round's applications as it stood at ``revision``: the rule figures
    (``matrix.ranked_page``) and the calibrated advice (``calibration.round_fairness``), stored
    so that a page of the score matrix reads its rows instead of ranking the whole round.
    Recomputed by the first page read after the round's revision moved on
    (``matrix.fresh_standing``)."""

    round = models.OneToOneField("programs.EvaluationRound", on_delete=models.CASCADE,
                                 primary_key=True, related_name="standing")
    revision = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("round standing")
        verbose_name_plural = _("round standings")

    def __str__(self):
        return f"{self.round_id} @ {self.revision}"


class RoundTally(models.Model):
    """A round's review progress as it stood at ``revision``: reviews assigned, submitted and
    conflicts open (``dashboard.rounds_with_progress``), and the same three counts of each
    reviewer with an assignment in the round (``reviewers``: ``{"<reviewer id>": [assigned,
    submitted, conflicts]}``, the round's page), so that the staff dashboard, the rounds list
    and the round's reviewers read one row a round instead of counting every assignment on
    every load (about 25 ms at 50,000 assignments, growing with them). Counted again by the
    first read after the round's revision moved on (``selectors.round_tallies``)."""

    round = models.OneToOneField("programs.EvaluationRound", on_delete=models.CASCADE,
                                 primary_key=True, related_name="tally")
    revision = models.PositiveBigIntegerField()
    assigned = models.PositiveIntegerField()
    submitted = models.PositiveIntegerField()
    conflicts = models.PositiveIntegerField()
    reviewers = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("round tally")
        verbose_name_plural = _("round tallies")

    def __str__(self):
        return f"{self.round_id} @ {self.revision}"


class StandingRow(models.Model):
    """One application of a ``Standing``: figures in integer tenths and hundredths as
    ``matrix.RANKING_SQL`` gives them (none before a counted review), the rule rank within
    its track and the calibrated final, base and rank (none without calibrated totals)."""

    round = models.ForeignKey("programs.EvaluationRound", on_delete=models.CASCADE,
                              related_name="standing_rows")
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE,
                                    related_name="+")
    reviewer_count = models.PositiveIntegerField(null=True)
    bonus_tenths = models.BigIntegerField(null=True)
    base_hundredths = models.BigIntegerField(null=True)
    final_hundredths = models.BigIntegerField(null=True)
    first_hundredths = models.BigIntegerField(null=True)
    rank = models.PositiveIntegerField(null=True)
    calibrated_final = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    calibrated_base = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    calibrated_rank = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("standing row")
        verbose_name_plural = _("standing rows")
        constraints = [
            models.UniqueConstraint(fields=["round", "application"],
                                    name="standing_row_unique"),
        ]

    def __str__(self):
        return f"{self.round_id} · {self.application_id}: {self.rank}"
