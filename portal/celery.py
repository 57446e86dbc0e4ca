"""Celery application wired to Django settings (``CELERY_*`` names).

With ``CELERY_BROKER_URL`` unset the settings switch tasks to eager mode, so the embedded
default runs every background task in-process and needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
