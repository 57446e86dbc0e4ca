"""Celery's signals keep each task message's row in step with its task; a worker that starts
publishes what is due (a message written while the broker was away, a task a dead worker left).
"""

import logging

from celery.signals import task_failure, task_success, worker_ready

from . import services

logger = logging.getLogger(__name__)


@task_success.connect
def _task_succeeded(sender=None, **kwargs):
    services.mark_done(getattr(sender.request, "id", None))


@task_failure.connect
def _task_failed(sender=None, task_id=None, exception=None, **kwargs):
    services.mark_failed(task_id, f"{type(exception).__name__}: {exception}")


@worker_ready.connect
def _drain_at_start(sender=None, **kwargs):
    from .tasks import drain

    try:
        drain.delay()
    except Exception:  # the worker goes on; beat drains on its next tick
        logger.exception("Outbox: could not queue the start-up drain")
