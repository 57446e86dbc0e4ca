"""The life of an outbox message: written with the change, published after the commit, done once.

- ``enqueue_email`` / ``enqueue_task`` / ``enqueue_tasks`` write messages inside the caller's
  transaction and publish them after it commits. A rollback leaves no message; a commit leaves
  one whatever happens to the broker afterwards.
- ``publish`` hands messages to Celery. It runs after the commit and never fails the request
  that made the change (``robust``: an error is logged, the message waits for ``drain``).
  When the broker cannot be reached they stay *pending* (``last_error`` says why) and nothing
  is lost; ``drain`` — run by beat every
  ``OUTBOX_DRAIN_SECONDS`` and when a worker starts — publishes them later, and publishes again
  a message whose task never finished within ``OUTBOX_REDELIVER_AFTER`` (a broker that lost its
  queue, a worker killed without a redelivery). Every task is idempotent, so publishing again is
  always safe.
- An email is sent by ``send_email`` with its row locked: a second delivery finds it done and
  sends nothing. Its ``Message-ID`` is made from the message's key, so a mail system that
  deduplicates by Message-ID drops the one duplicate an ill-timed crash can still cause (a crash
  after the SMTP server accepted the email and before the row is marked done).
- A task message is marked done or failed by Celery's ``task_success`` / ``task_failure``
  signals (``outbox.signals``): its Celery task id is the message's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerUnreachable

from portal import bulk, korean

from .models import Kind, Message, Status

logger = logging.getLogger(__name__)

# How long a publish waits for an unreachable broker before the message is left pending.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                        "interval_max": 0.2}
# Rows claimed and published together (one short transaction each).
CHUNK = 500
BROKER_UNREACHABLE = "The task queue could not be reached."

# What to do, in the transaction that marks an email sent, for the thing it was sent for
# (e.g. mark a notice emailed). Apps register a handler by name with ``after_sent``.
_AFTER_SENT: dict[str, Callable[[Message], None]] = {}


def after_sent(name: str):
    """Register ``function(message)`` to run, in the same transaction, when an email whose
    ``payload["after_sent"]`` is ``name`` has been sent."""
    def register(function):
        _AFTER_SENT[name] = function
        return function
    return register


def task_name_of(task) -> str:
    return task if isinstance(task, str) else task.name


def eager() -> bool:
    return bool(current_app.conf.task_always_eager)


# --- Writing messages -----------------------------------------------------------------------

def enqueue_email(*, to: Sequence[str], subject: str, body: str, html: str | None = None,
                  key: str | None = None, group: str = "", after_sent: str = "",
                  ref: int | str | None = None,
                  headers: dict[str, str] | None = None) -> Message | None:
    """An email to send after the commit; None when there is nobody to send it to.

    ``key`` makes it idempotent (a message with that key already written is returned as it
    is); ``after_sent`` names a handler registered with ``after_sent`` and ``ref`` the id it
    gets, both run when the email has gone. ``headers`` are added to the email as they are
    (``List-Unsubscribe``, say); they cannot replace ``Message-ID`` or the outbox key.
    """
    recipients = [address for address in to if address]
    if not recipients:
        return None
    # Korean particles after the values put in: "데모식품이(가)" is written "데모식품이".
    payload = {"to": list(recipients), "subject": korean.resolve(subject),
               "body": korean.resolve(body), "from": settings.DEFAULT_FROM_EMAIL}
    if html:
        payload["html"] = korean.resolve(html)
    if headers:
        reserved = {"message-id", "x-portal-outbox-key"} & {name.lower() for name in headers}
        if reserved:
            raise ValueError(f"The outbox sets these headers itself: {sorted(reserved)}")
        payload["headers"] = {str(name): str(value) for name, value in headers.items()}
    if after_sent:
        if after_sent not in _AFTER_SENT:
            raise ValueError(f"No after_sent handler named {after_sent!r}")
        payload["after_sent"] = after_sent
        payload["ref"] = ref
    return _enqueue_one(Kind.EMAIL, "", payload, key=key, group=group)


def enqueue_templated_email(template: str, context: dict, *, to: Sequence[str],
                            language: str | None = None, **options) -> Message | None:
    """``enqueue_email`` with the subject and body rendered from ``<template>_subject.txt`` and
    ``<template>_message.txt`` in ``language`` (the site's when None): the language of the
    person it is for, pinned when the change is made, whoever's worker sends it. The context
    gets ``SITE_URL``; ``options`` are ``enqueue_email``'s."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "SITE_URL": settings.SITE_URL}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_message.txt", context)
    return enqueue_email(to=to, subject=subject, body=body, **options)


def enqueue_task(task, *args, key: str | None = None, group: str = "") -> Message:
    """Run ``task(*args)`` (a Celery task or its name) after the commit, once per ``key``."""
    return _enqueue_one(Kind.TASK, task_name_of(task), {"args": list(args)}, key=key,
                        group=group)


def enqueue_tasks(task, arguments: Iterable[Sequence], *, keys: Iterable[str],
                  group: str = "", background: bool = False) -> list[int]:
    """Many runs of one task in one insert (an award run's notices): ``keys[i]`` is the key of
    the run with ``arguments[i]``. Returns the ids of the messages, new and existing.

    ``background``: with no broker (tasks run eagerly, the embedded default) and
    ``OUTBOX_EAGER_BACKGROUND`` on, the messages are not run inside the request that made them:
    they wait, pending, for ``work_on`` (the page that follows them polls it). With a broker
    they are published after the commit as always."""
    name = task_name_of(task)
    rows = [Message(kind=Kind.TASK, task_name=name, payload={"args": list(args)}, key=key,
                    group=group) for args, key in zip(arguments, keys, strict=True)]
    try:
        with transaction.atomic():  # new keys, the usual case: one fast insert
            bulk.insert(Message, rows)
    except IntegrityError:  # some were written before: keep those, add the rest
        Message.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    ids = list(Message.objects.filter(key__in=[row.key for row in rows])
               .order_by("pk").values_list("pk", flat=True))
    if background and eager() and settings.OUTBOX_EAGER_BACKGROUND:
        return ids
    transaction.on_commit(lambda: publish(ids), robust=True)
    return ids


def work_on(group: str, limit: int = 1) -> int:
    """With no broker, run up to ``limit`` pending messages of ``group`` now (eagerly) and
    return how many; with a broker the workers do it, and this does nothing (0)."""
    if not eager():
        return 0
    ids = list(Message.objects.filter(group=group, status=Status.PENDING)
               .order_by("pk").values_list("pk", flat=True)[:limit])
    return publish(ids)[0] if ids else 0


def _enqueue_one(kind, task_name, payload, *, key, group) -> Message:
    fields = {"kind": kind, "task_name": task_name, "payload": payload, "group": group}
    if key is None:
        message = Message.objects.create(**fields)
    else:
        message, _created = Message.objects.get_or_create(key=key, defaults=fields)
    pk = message.pk
    transaction.on_commit(lambda: publish([pk]), robust=True)
    return message


# --- Publishing -----------------------------------------------------------------------------

def publish(ids: Sequence[int], *, inline: bool = False) -> tuple[int, int]:
    """Hand the pending messages among ``ids`` to the broker; returns (published, pending).

    Many messages are handed to a worker that publishes them (one round trip in the request
    instead of thousands); that worker's task publishes them ``inline``. When the broker
    cannot be reached the rest stay pending, with the reason, for ``drain``.
    """
    ids = list(ids)
    if not inline and len(ids) > settings.OUTBOX_INLINE_PUBLISH and not eager():
        try:
            celery_task(PUBLISH_MESSAGES).apply_async((ids,), retry=True,
                                                      retry_policy=PUBLISH_RETRY_POLICY)
        except BrokerUnreachable:
            return 0, _left_pending(ids)
        return len(ids), 0
    published = 0
    for start in range(0, len(ids), CHUNK):
        done, left = _publish_chunk(ids[start:start + CHUNK])
        published += done
        if left:
            return published, left + _left_pending(ids[start + CHUNK:])
    return published, 0


def _publish_chunk(ids: list[int]) -> tuple[int, int]:
    with transaction.atomic():
        claimed = list(Message.objects.select_for_update(skip_locked=True)
                       .filter(pk__in=ids, status=Status.PENDING).order_by("pk"))
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=Status.PUBLISHED, published_at=timezone.now(),
            publications=F("publications") + 1, last_error="")
    for index, message in enumerate(claimed):
        try:
            _send_to_broker(message)
        except BrokerUnreachable:
            rest = [m.pk for m in claimed[index:]]
            Message.objects.filter(pk__in=rest, status=Status.PUBLISHED).update(
                status=Status.PENDING, publications=F("publications") - 1,
                last_error=BROKER_UNREACHABLE)
            logger.warning("Outbox: broker unreachable, %d messages pending", len(rest))
            return index, len(rest)
        except Exception as exc:  # only when tasks run eagerly: the task itself failed
            logger.exception("Outbox message %s failed", message.pk)
            _failed_eagerly(message, getattr(exc, "exc", None) or exc)  # a Retry carries it
    return len(claimed), 0


def _failed_eagerly(message: Message, cause: BaseException) -> None:
    """What a worker does when a task gives up (an eager run stops at its first retry): the
    message is failed and the task's own ``on_failure`` records it where it belongs."""
    mark_failed(message.celery_task_id, f"{type(cause).__name__}: {cause}")
    name = SEND_EMAIL if message.kind == Kind.EMAIL else message.task_name
    args = [message.pk] if message.kind == Kind.EMAIL else message.payload.get("args", [])
    celery_task(name).on_failure(cause, message.celery_task_id, args, {}, None)


# The outbox's own tasks (outbox/tasks.py), asked for by name: the tasks call these services.
SEND_EMAIL = "outbox.send_email"
PUBLISH_MESSAGES = "outbox.publish_messages"


def celery_task(name: str):
    """The registered task ``name``; in a web process the apps' task modules are imported the
    first time one is asked for (a worker imports them at start).

    Only the apps' ``tasks`` modules (``autodiscover_tasks``, forced: a few milliseconds),
    not the loader's default modules: importing those sends the signal on which Celery's
    Django fix-up runs every system check, about a second of the first confirmation in a
    web process. The default modules still come when a task is found nowhere else."""
    if name not in current_app.tasks:
        current_app.autodiscover_tasks(force=True)
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _send_to_broker(message: Message) -> None:
    if message.kind == Kind.EMAIL:
        celery_task(SEND_EMAIL).apply_async((message.pk,), task_id=message.celery_task_id,
                                            retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    else:
        celery_task(message.task_name).apply_async(
            message.payload.get("args", []), task_id=message.celery_task_id, retry=True,
            retry_policy=PUBLISH_RETRY_POLICY)


def _left_pending(ids: list[int]) -> int:
    """The messages among ``ids`` still pending after the broker could not be reached."""
    if not ids:
        return 0
    return Message.objects.filter(pk__in=ids, status=Status.PENDING).update(
        last_error=BROKER_UNREACHABLE)


def republish(messages) -> tuple[int, int]:
    """Publish again the given messages that are not done (staff's retry actions): failed ones
    start over, pending ones are published now, and published ones again (the broker may have
    lost them; their tasks are idempotent)."""
    ids = list(messages.exclude(status=Status.DONE).order_by("pk").values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids, status__in=[Status.FAILED, Status.PUBLISHED]).update(
        status=Status.PENDING, last_error="")
    return publish(ids)


def stale() -> Q:
    """Published, and not finished within ``OUTBOX_REDELIVER_AFTER`` seconds."""
    since = timezone.now() - timedelta(seconds=settings.OUTBOX_REDELIVER_AFTER)
    return Q(status=Status.PUBLISHED, published_at__lt=since)


def due():
    """Messages to publish now: pending ones, and stale published ones."""
    return Message.objects.filter(Q(status=Status.PENDING) | stale())


def drain(limit: int = 10_000) -> tuple[int, int]:
    """Publish what is due (beat and worker start-up); returns (published, pending)."""
    ids = list(due().order_by("pk").values_list("pk", flat=True)[:limit])
    # Only what is still stale now: a message another process has just published stays so.
    Message.objects.filter(stale(), pk__in=ids).update(status=Status.PENDING)
    published = pending = 0
    for start in range(0, len(ids), CHUNK):
        done, left = _publish_chunk(ids[start:start + CHUNK])
        published += done
        if left:
            pending = left + _left_pending(ids[start + CHUNK:])
            break
    if published or pending:
        logger.info("Outbox drained: %d published, %d pending", published, pending)
    return published, pending


def purge(now=None) -> int:
    """Delete messages done more than ``OUTBOX_KEEP_DAYS`` days ago (beat, daily); what is
    pending, published or failed stays. Returns how many were deleted."""
    before = (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _by_model = Message.objects.filter(status=Status.DONE, done_at__lt=before).delete()
    return deleted


# --- Completing messages --------------------------------------------------------------------

def message_id(message: Message) -> str:
    """The email's Message-ID: the same for every delivery of one message."""
    return f"<outbox.{message.key}@{settings.OUTBOX_MESSAGE_ID_DOMAIN}>"


def send_email(message_pk: int) -> Message:
    """Send an email message once: the row is locked while it is sent and marked done in the
    same transaction, with its ``after_sent`` handler; a delivery that finds it done sends
    nothing. A failure to send rolls back, and the task retries."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_pk)
        if message.status == Status.DONE:
            return message
        payload = message.payload
        email = EmailMultiAlternatives(
            subject=payload["subject"], body=payload["body"], from_email=payload.get("from"),
            to=payload["to"],
            headers={**payload.get("headers", {}), "Message-ID": message_id(message),
                     "X-Portal-Outbox-Key": message.key})
        if payload.get("html"):
            email.attach_alternative(payload["html"], "text/html")
        email.send()
        message.status = Status.DONE
        message.done_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["status", "done_at", "last_error"])
        handler = payload.get("after_sent")
        if handler:
            _AFTER_SENT[handler](message)
    return message


def outbox_pk(task_id: str | None) -> int | None:
    if task_id and task_id.startswith("outbox:"):
        try:
            return int(task_id.split(":", 1)[1])
        except ValueError:
            return None
    return None


def mark_done(task_id: str | None) -> None:
    pk = outbox_pk(task_id)
    if pk is not None:
        Message.objects.filter(pk=pk).exclude(status=Status.DONE).update(
            status=Status.DONE, done_at=timezone.now(), last_error="")


def mark_failed(task_id: str | None, error: str) -> None:
    pk = outbox_pk(task_id)
    if pk is not None:
        Message.objects.filter(pk=pk).exclude(status=Status.DONE).update(
            status=Status.FAILED, last_error=error[:2000])


def counts(messages) -> dict[str, int]:
    """Messages by status (an award run's notices, say)."""
    found = dict(messages.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in Status.values}
