"""The state machine every life cycle of the portal goes through (applications, clusters,
award runs, notices and what follows them).

``change_state`` locks the row, checks the move against a transition table, saves the status
and any other fields with ``update_fields``, writes the audit row in the same transaction and
queues the follow-up for after the commit. Each model keeps its own public function
(``applications.services.transition``, ``clusters.services.change_cluster_status``…) that
names its table, its audit model and its message.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import bulk


def _stamped(model) -> list[str]:
    """The fields saved with every change of state: the status, and ``updated_at`` where the
    model has one."""
    return ["status"] + (["updated_at"] if any(f.name == "updated_at" for f in
                                               model._meta.concrete_fields) else [])


def change_state(obj, to_status, *, choices, transitions, audit_model, audit_field: str,
                 refused: type[ValidationError], refusal: str, actor=None, reason: str = "",
                 fields: dict | None = None, on_commit: Callable[[], None] | None = None,
                 if_from=None):
    """Move ``obj`` (with a ``status`` field of ``choices``) to ``to_status``.

    ``refusal`` is a translated message with ``%(from)s`` and ``%(to)s``, raised as
    ``refused`` when the table does not allow the move. With ``if_from`` (a set of statuses)
    the move is made only from one of those and is otherwise skipped without error: the
    idempotent moves of tasks that may run twice. ``obj`` gets the row's status and fields.
    """
    to_status = choices(to_status)
    stamped = _stamped(type(obj))
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        from_status = choices(locked.status)
        if if_from is not None and from_status not in if_from:
            obj.status = locked.status
            return obj
        if to_status not in transitions[from_status]:
            raise refused(refusal % {"from": from_status.label, "to": to_status.label},
                          code="transition")
        locked.status = to_status
        update_fields = list(stamped)
        for name, value in (fields or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.save(update_fields=update_fields)
        audit_model.objects.create(**{audit_field: locked}, from_status=from_status,
                                   to_status=to_status, actor=actor, reason=reason)
        if on_commit is not None:
            transaction.on_commit(on_commit)
    for name in [*stamped, *(fields or {})]:
        setattr(obj, name, getattr(locked, name))
    return obj


def change_states(model, moves: dict, *, choices, transitions, audit_model, audit_field: str,
                  refused: type[ValidationError], refusal: str, actor=None, reason: str = "",
                  on_commit: Callable[[], None] | None = None) -> int:
    """``change_state`` for many rows at once: ``moves`` maps a primary key to its new status.

    Every row is locked (in primary-key order, so concurrent callers cannot deadlock) and
    every move checked before anything is written; one refused move refuses them all. The
    statuses are saved with one update per new status and the audit rows with one bulk insert,
    in the same transaction. Returns the number of rows moved.
    """
    if not moves:
        return 0
    targets = {pk: choices(status) for pk, status in moves.items()}
    with transaction.atomic():
        locked = list(model.objects.select_for_update().filter(pk__in=targets).order_by("pk")
                      .values_list("pk", "status"))
        if len(locked) != len(targets):
            raise model.DoesNotExist(f"{len(targets) - len(locked)} rows are missing")
        audits = []
        by_status: dict[str, list] = {}
        audit_fk = f"{audit_field}_id"
        for pk, status in locked:
            from_status, to_status = choices(status), targets[pk]
            if to_status not in transitions[from_status]:
                raise refused(refusal % {"from": from_status.label, "to": to_status.label},
                              code="transition")
            by_status.setdefault(to_status, []).append(pk)
            audits.append(audit_model(**{audit_fk: pk}, from_status=from_status,
                                      to_status=to_status, actor=actor, reason=reason))
        stamp = {"updated_at": timezone.now()} if "updated_at" in _stamped(model) else {}
        for to_status, pks in by_status.items():
            model.objects.filter(pk__in=pks).update(status=to_status, **stamp)
        bulk.insert(audit_model, audits)
        if on_commit is not None:
            transaction.on_commit(on_commit)
    return len(locked)


def mirror(objects, to_status) -> None:
    """Give in-memory copies of rows ``change_states`` moved their new status (no query)."""
    for obj in objects:
        obj.status = to_status
