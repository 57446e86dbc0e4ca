"""``manage.py`` in a clean process with the production configuration (DEBUG off).

Only what any shell has is passed through, so nothing of this test run (DATABASE_URL,
DJANGO_ALLOW_ASYNC_UNSAFE set by the browser journeys…) leaks into the configuration tested.
"""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "off",
    "SECRET_KEY": "x7Qm2vLp9sT4wZr8bN1cK6dF3hJ5gY0aE_uI-oP7lM2nB4vC9xZ1qW3eR5tY8uA6sD",
    "ALLOWED_HOSTS": "portal.example.kr",
    "DATABASE_URL": "postgres://portal:secret@db.example.kr:5432/portal",
    "CELERY_BROKER_URL": "redis://redis.example.kr:6379/0",
    "REDIS_URL": "redis://redis.example.kr:6379/1",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.kr:587",
    "SITE_URL": "https://portal.example.kr",
}

PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def manage(*args, env, timeout=120):
    base = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                          env={**base, **env}, capture_output=True, text=True, timeout=timeout)
