"""The outbox: every email and background task the portal sends, kept as a row in the database.

A message is written in the same transaction as the change that causes it, so it exists exactly
when the change does; it is published to Celery after the commit, and a beat task (and every
worker's start-up) publishes again whatever the broker never took or never finished. See
``outbox.services`` for the life of a message and the README's Operations section for the
guarantees.
"""
