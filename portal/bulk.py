"""Inserting thousands of rows at once (an award run's result lines, notices, audit rows and
outbox messages) inside the caller's transaction.

On PostgreSQL the rows go through ``COPY … FROM STDIN``: building ``bulk_create``'s statements
costs several times the insert itself at 10,000 rows. Elsewhere ``bulk_create``. Either way
every default, ``auto_now_add`` and database constraint applies (a violation is Django's
``IntegrityError``); neither returns the new primary keys (read them back when needed).
Neither sends ``post_save``: ``inserted`` is sent instead, once per call, with the objects.
"""

import time
from decimal import Decimal

from django.db import connection
from django.db.models.base import ModelState
from django.dispatch import Signal

inserted = Signal()  # sender: the model; objects: the list inserted (without primary keys)


def insert(model, objects: list, *, batch_size: int = 2000) -> None:
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=batch_size)
    else:
        _copy(model, objects)
    inserted.send(sender=model, objects=objects)


def _copy(model, objects: list) -> None:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    prepared = [(field, field.get_internal_type() not in PLAIN,
                 field.get_internal_type() == "JSONField",
                 field.get_internal_type() == "DecimalField") for field in fields]
    sql = f"COPY {table} ({columns}) FROM STDIN"
    started = time.monotonic()
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(
            sql) as copy:
        for obj in objects:
            copy.write_row([_value(field, field.pre_save(obj, True), prepare, json, decimal)
                            for field, prepare, json, decimal in prepared])
    if connection.queries_logged:  # counted like any query (query-count tests, debug tools)
        connection.queries_log.append({"sql": f"{sql} -- {len(objects)} rows",
                                       "time": f"{time.monotonic() - started:.3f}"})


def _value(field, value, prepare: bool, json: bool, decimal: bool = False):
    """A field's value as COPY writes it. An empty JSON list or object is written as its text
    (what the JSON field's encoder would give, without running it: 10,000 result lines
    without cluster members); a finite Decimal as it is (the decimal field's preparation
    gives back a copy of it: the 20,000 scores and stabilities of an award run's lines)."""
    if json and not value and isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"
    if decimal and type(value) is Decimal and value.is_finite():
        return value
    return field.get_db_prep_save(value, connection) if prepare else value


# Fields whose Python value psycopg writes as it is (the rest go through get_db_prep_save:
# JSON, files, decimals with their places…).
PLAIN = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
         "DateField", "DateTimeField", "ForeignKey", "IntegerField", "OneToOneField",
         "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
         "SmallIntegerField", "TextField"}


def copy_of(template, **values):
    """An unsaved copy of the unsaved ``template`` with ``values`` (attribute names, such as
    ``application_id``) set, for the rows of an ``insert``. ``Model.__init__`` resolves every
    field's default and sets related fields through their descriptors, about 30 µs a row:
    most of the Python time of 10,000 rows."""
    obj = template.__class__.__new__(template.__class__)
    obj.__dict__.update(template.__dict__)
    obj.__dict__.update(values)
    obj._state = ModelState()
    return obj

