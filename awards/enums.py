from django.db import models
from django.utils.translation import pgettext_lazy

from applications.enums import ApplicationStatus


class RunStatus(models.TextChoices):
    """An award run's life: queued for computation, then a preview staff may confirm."""

    QUEUED = "queued", pgettext_lazy("award run status", "Computing")
    PREVIEW = "preview", pgettext_lazy("award run status", "Preview")
    CONFIRMED = "confirmed", pgettext_lazy("award run status", "Confirmed")
    REFUSED = "refused", pgettext_lazy("award run status", "Refused")


class Outcome(models.TextChoices):
    """The result of one application in a run; the values are the application statuses that
    confirming the run moves it to."""

    SELECTED = ApplicationStatus.SELECTED.value, pgettext_lazy("award outcome", "Selected")
    WAITLISTED = ApplicationStatus.WAITLISTED.value, pgettext_lazy("award outcome", "Waitlisted")
    NOT_SELECTED = (ApplicationStatus.NOT_SELECTED.value,
                    pgettext_lazy("award outcome", "Not selected"))


class NoticeStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("notice status", "Pending")
    QUEUED = "queued", pgettext_lazy("notice status", "Queued")
    GENERATED = "generated", pgettext_lazy("notice status", "Generated")
    SENT = "sent", pgettext_lazy("notice status", "Sent")
    FAILED = "failed", pgettext_lazy("notice status", "Failed")
