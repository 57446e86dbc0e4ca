"""Outbox messages: an email to send or a Celery task to run, one row each."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    EMAIL = "email", pgettext_lazy("outbox message kind", "Email")
    TASK = "task", pgettext_lazy("outbox message kind", "Task")


class Status(models.TextChoices):
    """Pending: not yet handed to the broker (or the broker refused it). Published: the broker
    took it; its task has not finished. Done: the email was sent, the task succeeded. Failed:
    the task gave up after its retries (staff may publish it again)."""

    PENDING = "pending", pgettext_lazy("outbox message status", "Pending")
    PUBLISHED = "published", pgettext_lazy("outbox message status", "Published")
    DONE = "done", pgettext_lazy("outbox message status", "Done")
    FAILED = "failed", pgettext_lazy("outbox message status", "Failed")


def new_key() -> str:
    return uuid.uuid4().hex


class Message(models.Model):
    key = models.CharField(
        _("idempotency key"), max_length=200, unique=True, default=new_key,
        help_text=_("One message per key: writing a message whose key exists adds nothing, and "
                    "an email's Message-ID is made from it."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    task_name = models.CharField(_("task"), max_length=200, blank=True)
    payload = models.JSONField(_("payload"), default=dict,
                               help_text=_("A task's arguments, or an email's headers and text."))
    group = models.CharField(_("group"), max_length=100, blank=True, db_index=True,
                             help_text=_("Messages sent for one thing, e.g. an award run's "
                                         "notices."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(pgettext_lazy("outbox message", "published at"),
                                        null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    publications = models.PositiveIntegerField(
        _("publications"), default=0, help_text=_("How often the broker took it."))
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["status", "published_at"], name="outbox_due",
                         condition=Q(status__in=["pending", "published"])),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="email", task_name="") | (Q(kind="task") & ~Q(task_name="")),
                name="outbox_task_has_name"),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="outbox_done_has_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.task_name or self.payload.get('subject', '')}"

    @property
    def celery_task_id(self) -> str:
        """The id its Celery task runs under: the worker's signals find the row by it."""
        return f"outbox:{self.pk}"
