from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FundingSource(models.TextChoices):
    NATIONAL = "national", _("National (MSS)")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("City/county")


def source_order(field="source"):
    """An ordering expression: national, then provincial, then municipal (not alphabetical)."""
    from django.db.models import Case, Value, When

    return Case(
        When(**{field: FundingSource.NATIONAL}, then=Value(0)),
        When(**{field: FundingSource.PROVINCIAL}, then=Value(1)),
        default=Value(2),
    ).asc()


# Order in which an excess over a track's total cap is taken off (DOMAIN.md §3).
CAP_REDUCTION_ORDER = (FundingSource.MUNICIPAL, FundingSource.PROVINCIAL, FundingSource.NATIONAL)


class TrackKind(models.TextChoices):
    ADVANCED = "advanced", pgettext_lazy("track kind", "Advanced")
    BASIC = "basic", pgettext_lazy("track kind", "Basic")
    ROBOTS = "robots", pgettext_lazy("track kind", "Robots and equipment")
    CLUSTER = "cluster", pgettext_lazy("track kind", "Cluster")


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("call status", "Upcoming")
    OPEN = "open", pgettext_lazy("call status", "Open")
    CLOSED = "closed", pgettext_lazy("call status", "Closed")


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("announcement status", "Draft")
    PUBLISHED = "published", pgettext_lazy("announcement status", "Published")


class AnnouncementAction(models.TextChoices):
    """What happened to an announcement, as recorded in its audit trail."""

    CREATED = "created", pgettext_lazy("announcement action", "Created")
    EDITED = "edited", pgettext_lazy("announcement action", "Edited")
    PUBLISHED = "published", pgettext_lazy("announcement action", "Published")
    UNPUBLISHED = "unpublished", pgettext_lazy("announcement action", "Unpublished")
    ATTACHMENT_ADDED = "attachment_added", pgettext_lazy("announcement action",
                                                         "Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", pgettext_lazy("announcement action",
                                                             "Attachment removed")
