from django.db import models
from django.utils.translation import pgettext_lazy

from applications.enums import ApplicationStatus

# An application whose agreement is open (not accepted yet): notified of its selection, or
# promoted.
OPEN_STATUSES = (ApplicationStatus.NOTIFIED, ApplicationStatus.PROMOTED)


class ChangeKind(models.TextChoices):
    """What a change request (협약변경) asks for. KPIs and the function list are offered so that
    a company asking for them is told, with the rule named, that they cannot change."""

    EXTENSION = "extension", pgettext_lazy("change kind", "Period extension")
    SUPPLIER = "supplier", pgettext_lazy("change kind", "Supplier change")
    COST = "cost", pgettext_lazy("change kind", "Cost per item")
    SCHEDULE = "schedule", pgettext_lazy("change kind", "Schedule")
    KPIS = "kpis", pgettext_lazy("change kind", "KPIs")
    FUNCTIONS = "functions", pgettext_lazy("change kind", "System function list")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("change request status", "Awaiting decision")
    APPROVED = "approved", pgettext_lazy("change request status", "Approved")
    REFUSED = "refused", pgettext_lazy("change request status", "Refused")


CHANGE_TRANSITIONS = {
    ChangeStatus.PENDING: {ChangeStatus.APPROVED, ChangeStatus.REFUSED},
    ChangeStatus.APPROVED: set(),
    ChangeStatus.REFUSED: set(),
}


class ChangeRule(models.TextChoices):
    """The rules of the detailed management standard (§27, §29) a change request is held to."""

    FILED_IN_TIME = "filed_in_time", pgettext_lazy(
        "change rule", "Filed within 15 days of its cause")
    BEFORE_END = "before_end", pgettext_lazy(
        "change rule", "Filed at least one month before the period ends")
    ONE_EXTENSION = "one_extension", pgettext_lazy("change rule", "One extension only")
    EXTENSION_LENGTH = "extension_length", pgettext_lazy(
        "change rule", "An extension of at most 3 months")
    NO_KPI_CHANGE = "no_kpi_change", pgettext_lazy("change rule", "KPIs cannot change")
    NO_FUNCTION_CHANGE = "no_function_change", pgettext_lazy(
        "change rule", "The system's function list cannot change")
    SUPPORT_NOT_RAISED = "support_not_raised", pgettext_lazy(
        "change rule", "A cost change never raises the support")


class PromotionStatus(models.TextChoices):
    PREVIEW = "preview", pgettext_lazy("promotion status", "Preview")
    CONFIRMED = "confirmed", pgettext_lazy("promotion status", "Confirmed")
    REFUSED = "refused", pgettext_lazy("promotion status", "Refused")


PROMOTION_TRANSITIONS = {
    PromotionStatus.PREVIEW: {PromotionStatus.CONFIRMED, PromotionStatus.REFUSED},
    PromotionStatus.CONFIRMED: set(),
    PromotionStatus.REFUSED: set(),
}


class NoticeStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("notice status", "Pending")
    GENERATED = "generated", pgettext_lazy("notice status", "Generated")
    SENT = "sent", pgettext_lazy("notice status", "Sent")


NOTICE_TRANSITIONS = {
    NoticeStatus.PENDING: {NoticeStatus.GENERATED},
    NoticeStatus.GENERATED: {NoticeStatus.SENT},
    NoticeStatus.SENT: set(),
}
