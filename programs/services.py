"""Writes of the programs app: announcements and their attachments.

Each change goes through one function here, which saves it and writes the audit row
(``AnnouncementChange``) in the same transaction. Views and the admin call these functions.
"""

from django.db import transaction
from django.utils import timezone

from .enums import AnnouncementAction, AnnouncementStatus
from .models import Announcement, AnnouncementAttachment, AnnouncementChange


def _record(announcement, action, actor, detail=""):
    return AnnouncementChange.objects.create(
        announcement=announcement, action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        detail=detail[:255],
    )


@transaction.atomic
def save_announcement(announcement: Announcement, *, user, files=(), mime_types=()):
    """Create or update an announcement and add the (already checked) uploaded files."""
    created = announcement.pk is None
    if created:
        announcement.created_by = user
    announcement.save()
    _record(announcement, AnnouncementAction.CREATED if created else AnnouncementAction.EDITED,
            user)
    for upload, mime in zip(files, mime_types, strict=True):
        add_attachment(announcement, upload, mime, user=user)
    return announcement


@transaction.atomic
def add_attachment(announcement, upload, mime, *, user=None):
    attachment = AnnouncementAttachment.objects.create(
        announcement=announcement,
        file=upload,
        original_name=upload.name[:255],
        content_type=mime,
        size=upload.size,
    )
    _record(announcement, AnnouncementAction.ATTACHMENT_ADDED, user, attachment.original_name)
    return attachment


@transaction.atomic
def delete_attachment(attachment, *, user=None):
    """Remove the row now and the stored file once the transaction has committed."""
    storage, name = attachment.file.storage, attachment.file.name
    _record(attachment.announcement, AnnouncementAction.ATTACHMENT_REMOVED, user,
            attachment.original_name)
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def publish_announcement(announcement: Announcement, *, user=None, now=None):
    """Make a draft public (a published one is left as it is)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_published:
        return announcement
    announcement.status = AnnouncementStatus.PUBLISHED
    announcement.published_at = now or timezone.now()
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    _record(announcement, AnnouncementAction.PUBLISHED, user)
    return announcement


@transaction.atomic
def unpublish_announcement(announcement: Announcement, *, user=None):
    """Take a published announcement back to draft (a draft is left as it is)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if not announcement.is_published:
        return announcement
    announcement.status = AnnouncementStatus.DRAFT
    announcement.published_at = None
    announcement.save(update_fields=["status", "published_at", "updated_at"])
    _record(announcement, AnnouncementAction.UNPUBLISHED, user)
    return announcement
