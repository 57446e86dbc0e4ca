"""Celery tasks of the awards app: thin wrappers that take ids and call a service.

Each is idempotent (see ``services``), so a retry, a redelivery after a killed worker or a
second batch changes nothing that is already done.
"""

from celery import Task, shared_task

from . import services


class NoticeTask(Task):
    autoretry_for = (Exception,)
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    acks_late = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.record_notice_failure(args[0], f"{type(exc).__name__}: {exc}")


class RunTask(Task):
    autoretry_for = (Exception,)
    retry_backoff = True
    max_retries = 3
    acks_late = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.record_run_failure(args[0], f"{type(exc).__name__}: {exc}")


@shared_task(name="awards.compute_award_run", base=RunTask)
def compute_award_run(run_id: int) -> str:
    return services.compute_run(run_id).status


@shared_task(name="awards.generate_notice", base=NoticeTask)
def generate_notice(notice_id: int) -> str:
    return services.deliver_notice(notice_id).status
