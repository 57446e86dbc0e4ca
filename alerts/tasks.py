"""Celery tasks of the alerts app: thin, idempotent (see ``services``)."""

from celery import shared_task

from . import services


@shared_task(name="alerts.announcement_published", acks_late=True, autoretry_for=(Exception,),
             retry_backoff=True, max_retries=5)
def announcement_published(announcement_id: int) -> int:
    return services.send_alerts(announcement_id)


@shared_task(name="alerts.weekly_digest", acks_late=True)
def weekly_digest() -> int:
    """Beat, weekly (``CELERY_BEAT_SCHEDULE``)."""
    return services.send_weekly_digests()
