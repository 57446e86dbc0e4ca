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


# Allowed moves of a run; anything else is refused by ``services.change_run_status``.
RUN_TRANSITIONS = {
    RunStatus.QUEUED: {RunStatus.PREVIEW, RunStatus.REFUSED},
    RunStatus.PREVIEW: {RunStatus.CONFIRMED},
    RunStatus.CONFIRMED: set(),
    RunStatus.REFUSED: set(),
}

# Allowed moves of a notice (``services.change_notice_status``): made (or failed, and tried
# again), then sent once its email has gone.
NOTICE_TRANSITIONS = {
    NoticeStatus.PENDING: {NoticeStatus.GENERATED, NoticeStatus.FAILED},
    NoticeStatus.QUEUED: {NoticeStatus.GENERATED, NoticeStatus.FAILED},
    NoticeStatus.FAILED: {NoticeStatus.GENERATED, NoticeStatus.FAILED},
    NoticeStatus.GENERATED: {NoticeStatus.SENT},
    NoticeStatus.SENT: set(),
}
