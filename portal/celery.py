"""Celery application wired to Django settings (``CELERY_*`` names).

With ``CELERY_BROKER_URL`` unset the settings switch tasks to eager mode, so the embedded
default runs every background task in-process and needs no Redis.
"""

import os

from celery import Celery
from celery.signals import beat_init, celeryd_init

from .production import refuse_to_serve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@beat_init.connect
def _refuse_without_email_or_broker(**kwargs):
    """A worker or beat with DEBUG off stops at once without a delivering email backend or a
    broker (portal/production.py)."""
    refuse_to_serve()
