"""Writes of the programs app: announcements and their attachments."""

from django.db import transaction
from django.utils import timezone

from .enums import AnnouncementStatus
from .models import Announcement, AnnouncementAttachment, Call


def manageable_calls(user):
    """Calls whose announcements ``user`` may write: every call for staff, its region's for an
    operator, none for anyone else."""
    if not user.is_authenticated:
        return Call.objects.none()
    if user.is_staff:
        return Call.objects.all()
    if user.region_id:
        return Call.objects.filter(region_id=user.region_id)
    return Call.objects.none()


def manageable_announcements(user):
    return Announcement.objects.filter(call__in=manageable_calls(user))


@transaction.atomic
def save_announcement(announcement: Announcement, *, user, files=(), mime_types=()):
    """Create or update an announcement and add the (already checked) uploaded files."""
    if announcement.pk is None:
        announcement.created_by = user
    announcement.save()
    for upload, mime in zip(files, mime_types, strict=True):
        add_attachment(announcement, upload, mime)
    return announcement


def add_attachment(announcement, upload, mime):
    return AnnouncementAttachment.objects.create(
        announcement=announcement,
        file=upload,
        original_name=upload.name[:255],
        content_type=mime,
        size=upload.size,
    )


def delete_attachment(attachment):
    attachment.file.delete(save=False)
    attachment.delete()


def publish_announcement(announcement: Announcement, *, now=None):
    if announcement.is_published:
        return announcement
    announcement.status = AnnouncementStatus.PUBLISHED
    announcement.published_at = now or timezone.now()
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    return announcement


def unpublish_announcement(announcement: Announcement):
    if not announcement.is_published:
        return announcement
    announcement.status = AnnouncementStatus.DRAFT
    announcement.published_at = None
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    return announcement
