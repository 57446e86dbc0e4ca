"""Writes of the applications app. Every change of an application's state goes through
``transition``: it checks the move, saves with ``update_fields``, writes the audit row in the
same transaction and runs follow-ups (emails, tasks) only after the commit."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .enums import TRANSITIONS, ApplicationStatus
from .models import Application, StateChange


class TransitionNotAllowed(ValidationError):
    pass


def transition(application: Application, to_status: str, *, actor=None, reason: str = "",
               fields: dict | None = None, on_commit: Callable[[], None] | None = None
               ) -> Application:
    """Move ``application`` to ``to_status`` as ``actor``; the one way a status changes.

    ``fields`` are other attributes set in the same save (receipt number, screening reason…).
    ``on_commit`` runs after the transaction commits (emails, tasks), never on a rollback.
    """
    to_status = ApplicationStatus(to_status)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        from_status = ApplicationStatus(locked.status)
        if to_status not in TRANSITIONS[from_status]:
            raise TransitionNotAllowed(
                _("An application cannot go from “%(from)s” to “%(to)s”.")
                % {"from": from_status.label, "to": to_status.label},
                code="transition",
            )
        locked.status = to_status
        update_fields = ["status", "updated_at"]
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.save(update_fields=update_fields)
        StateChange.objects.create(application=locked, from_status=from_status,
                                   to_status=to_status, actor=actor, reason=reason)
        if on_commit is not None:
            transaction.on_commit(on_commit)
    for name in ["status", "updated_at", *(fields or {})]:
        setattr(application, name, getattr(locked, name))
    return application
