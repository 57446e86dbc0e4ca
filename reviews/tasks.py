"""Celery tasks of the reviews app: thin wrappers that take ids and call a service; each is
idempotent, so a retry or a redelivery after a killed worker writes nothing twice."""

from celery import shared_task

from . import notifications


@shared_task(name=notifications.NOT_PASSED_TASK, autoretry_for=(Exception,), retry_backoff=True,
             max_retries=5, acks_late=True)
def notify_not_passed(round_id: int) -> int:
    return notifications.write_not_passed(round_id)
