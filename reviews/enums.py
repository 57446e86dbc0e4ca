from django.db import models
from django.utils.translation import pgettext_lazy


class ConflictStatus(models.TextChoices):
    """What the reviewer said about a conflict of interest before scoring (DOMAIN.md §5)."""

    PENDING = "pending", pgettext_lazy("conflict", "Not yet confirmed")
    NONE = "none", pgettext_lazy("conflict", "No conflict")
    DECLARED = "declared", pgettext_lazy("conflict", "Conflict declared")


class ReviewAction(models.TextChoices):
    """The audited actions on an assignment (who, when, why: ``ReviewEvent``)."""

    ASSIGNED = "assigned", pgettext_lazy("review action", "Assigned")
    NO_CONFLICT = "no_conflict", pgettext_lazy("review action", "No conflict confirmed")
    CONFLICT_DECLARED = "conflict", pgettext_lazy("review action", "Conflict declared")
    SUBMITTED = "submitted", pgettext_lazy("review action", "Review submitted")
    REOPENED = "reopened", pgettext_lazy("review action", "Review reopened")
    RELEASED = "released", pgettext_lazy("review action", "Reviewer released")


class AssignmentState(models.TextChoices):
    """The state an assignment is shown in (derived from its fields, never stored)."""

    CONFLICT_CHECK = "conflict_check", pgettext_lazy("assignment state", "Conflict check")
    CONFLICT = "conflict", pgettext_lazy("assignment state", "Conflict: replace")
    IN_PROGRESS = "in_progress", pgettext_lazy("assignment state", "In progress")
    SUBMITTED = "submitted", pgettext_lazy("assignment state", "Submitted")
    RELEASED = "released", pgettext_lazy("assignment state", "Released")


class ScoreBasis(models.TextChoices):
    """Which score of DOMAIN.md §5.1 allocates a call's awards: the rule score of §5, or the
    calibrated score (chosen before the call's first review is submitted)."""

    RULE = "rule", pgettext_lazy("score basis", "Rule score (trimmed mean + bonus)")
    CALIBRATED = "calibrated", pgettext_lazy("score basis", "Calibrated score")


class PassRule(models.TextChoices):
    """What decided whether an application passes on to a call's next round (DOMAIN.md §5.1)."""

    EXEMPT = "exempt", pgettext_lazy("pass rule", "Exempt from the round: passes on")
    NO_RULE = "no_rule", pgettext_lazy("pass rule", "No pass rule: passes on")
    MET = "met", pgettext_lazy("pass rule", "Meets the pass rule: passes on")
    BELOW_MARK = "below_mark", pgettext_lazy("pass rule", "Below the pass mark")
    BEYOND_PLACES = "beyond_places", pgettext_lazy("pass rule",
                                                   "Ranked beyond the places passing on")
    NOT_SCORED = "not_scored", pgettext_lazy("pass rule", "No submitted review in the round")
