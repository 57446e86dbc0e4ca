"""Background tasks of the applications app: thin, taking ids, calling ``notifications``."""

from celery import shared_task

from . import notifications


@shared_task
def send_invitation(invitation_pk: int, language: str | None = None):
    notifications.send_invitation(invitation_pk, language)


@shared_task
def send_submission_confirmation(version_pk: int, language: str | None = None):
    notifications.send_submission_confirmation(version_pk, language)
