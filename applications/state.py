"""The mechanics every state-change service of this app shares (applications and clusters).

``change_state`` locks the row, checks the move against a transition table, saves the status
and any other fields with ``update_fields``, writes the audit row in the same transaction and
queues the follow-up for after the commit. Each model keeps its own public function
(``services.transition``, ``cluster_services.change_cluster_status``) that names its table,
its audit model and its message.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction


def change_state(obj, to_status, *, choices, transitions, audit_model, audit_field: str,
                 refused: type[ValidationError], refusal: str, actor=None, reason: str = "",
                 fields: dict | None = None, on_commit: Callable[[], None] | None = None):
    """Move ``obj`` (with a ``status`` field of ``choices``) to ``to_status``.

    ``refusal`` is a translated message with ``%(from)s`` and ``%(to)s``, raised as
    ``refused`` when the table does not allow the move.
    """
    to_status = choices(to_status)
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        from_status = choices(locked.status)
        if to_status not in transitions[from_status]:
            raise refused(refusal % {"from": from_status.label, "to": to_status.label},
                          code="transition")
        locked.status = to_status
        update_fields = ["status", "updated_at"]
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.save(update_fields=update_fields)
        audit_model.objects.create(**{audit_field: locked}, from_status=from_status,
                                   to_status=to_status, actor=actor, reason=reason)
        if on_commit is not None:
            transaction.on_commit(on_commit)
    for name in ["status", "updated_at", *(fields or {})]:
        setattr(obj, name, getattr(locked, name))
    return obj
