"""Celery tasks of the projects app: thin wrappers that take ids and call a service. Each is
idempotent (unique constraints and row locks), so a retry or a second delivery changes
nothing already done."""

from celery import Task, shared_task

from . import promoting, services


class DocumentTask(Task):
    autoretry_for = (Exception,)
    retry_backoff = True
    retry_backoff_max = 600
    max_retries = 5
    acks_late = True


@shared_task(name="projects.generate_agreement_pdf", base=DocumentTask)
def generate_agreement_pdf(version_id: int) -> int:
    return services.generate_agreement_pdf(version_id).pk


@shared_task(name="projects.generate_additional_notice", base=DocumentTask)
def generate_additional_notice(notice_id: int) -> str:
    return promoting.deliver_additional_notice(notice_id).status


@shared_task(name="projects.hourly_check", acks_late=True)
def hourly_check() -> dict:
    """Beat, every hour: lapse agreements past their deadline, remind technical designs due
    within a week, open any agreement a notice's receiver missed."""
    return services.hourly_check()
