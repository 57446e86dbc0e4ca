"""Celery tasks of the outbox: thin, taking ids."""

from celery import Task, shared_task

from . import services


class EmailTask(Task):
    autoretry_for = (Exception,)
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8
    acks_late = True


@shared_task(name="outbox.send_email", base=EmailTask)
def send_email(message_pk: int) -> str:
    return services.send_email(message_pk).status


@shared_task(name="outbox.publish_messages", acks_late=True)
def publish_messages(ids: list[int]) -> tuple[int, int]:
    """Many messages written in one transaction (an award run's notices), published from a
    worker instead of the request that wrote them."""
    return services.publish(ids, inline=True) if len(ids) else (0, 0)


@shared_task(name="outbox.drain")
def drain() -> tuple[int, int]:
    """Beat's schedule and every worker's start-up: publish what is due."""
    return services.drain()


@shared_task(name="outbox.purge")
def purge() -> int:
    """Beat, daily: forget messages done long ago."""
    return services.purge()
