from django.db import models
from django.utils.translation import pgettext_lazy


class ApplicationStatus(models.TextChoices):
    """The life cycle of DOMAIN.md §7."""

    DRAFT = "draft", pgettext_lazy("application status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    ELIGIBLE = "eligible", pgettext_lazy("application status", "Screened: eligible")
    INELIGIBLE = "ineligible", pgettext_lazy("application status", "Screened: ineligible")
    UNDER_REVIEW = "under_review", pgettext_lazy("application status", "Under review")
    SCORED = "scored", pgettext_lazy("application status", "Scored")
    SELECTED = "selected", pgettext_lazy("application status", "Selected")
    WAITLISTED = "waitlisted", pgettext_lazy("application status", "Waitlisted")
    NOT_SELECTED = "not_selected", pgettext_lazy("application status", "Not selected")
    NOTIFIED = "notified", pgettext_lazy("application status", "Notified")
    AGREEMENT = "agreement", pgettext_lazy("application status", "Agreement")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")


S = ApplicationStatus

# Allowed moves; anything else is refused by ``services.transition``.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.UNDER_REVIEW, S.INELIGIBLE},
    S.INELIGIBLE: {S.ELIGIBLE},
    S.UNDER_REVIEW: {S.SCORED},
    S.SCORED: {S.UNDER_REVIEW, S.SELECTED, S.WAITLISTED, S.NOT_SELECTED},
    S.SELECTED: {S.NOTIFIED},
    S.WAITLISTED: {S.NOTIFIED, S.SELECTED},
    S.NOT_SELECTED: {S.NOTIFIED},
    S.NOTIFIED: {S.AGREEMENT},
    S.AGREEMENT: set(),
    S.WITHDRAWN: {S.DRAFT},
}


class MembershipRole(models.TextChoices):
    OWNER = "owner", pgettext_lazy("membership role", "Owner")
    MEMBER = "member", pgettext_lazy("membership role", "Member")


class CostItem(models.TextChoices):
    SOFTWARE = "software", pgettext_lazy("cost item", "Software")
    HARDWARE = "hardware", pgettext_lazy("cost item", "Hardware")
    CONSULTING = "consulting", pgettext_lazy("cost item", "Consulting")
    OTHER = "other", pgettext_lazy("cost item", "Other")
