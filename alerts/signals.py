"""An announcement saved as published queues its alerts (programs knows nothing of alerts:
the dependency goes from alerts to programs)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from programs.enums import AnnouncementStatus
from programs.models import Announcement

from . import services


@receiver(post_save, sender=Announcement, dispatch_uid="alerts.announcement_published")
def announcement_saved(sender, instance, raw=False, **kwargs):
    if raw or instance.status != AnnouncementStatus.PUBLISHED or instance.published_at is None:
        return
    services.queue_alerts(instance)
