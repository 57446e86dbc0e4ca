"""Celery tasks of payments and settlement: thin wrappers that take ids and call a service;
each is idempotent, so a retry or a second delivery changes nothing already done."""

from celery import shared_task

from projects.tasks import DocumentTask

from . import services


@shared_task(name="settlement.generate_settlement_notice", base=DocumentTask)
def generate_settlement_notice(settlement_id: int) -> int:
    return services.generate_settlement_notice(settlement_id).pk


@shared_task(name="settlement.remind_follow_ups", acks_late=True)
def remind_follow_ups() -> int:
    """Beat, daily: remind each company of a follow-up report due and not filed (once)."""
    return services.remind_follow_ups()


@shared_task(name="settlement.mark_overdue_refunds", acks_late=True)
def mark_overdue_refunds() -> int:
    """Beat, daily: refunds past their due date become overdue; each company is reminded."""
    return services.mark_overdue_refunds()
