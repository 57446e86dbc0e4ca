"""What a serving process refuses with DEBUG off: an email backend that never delivers, or no
Celery broker (every task would then run inside the web request).

The settings only describe; the processes that serve refuse: gunicorn through ``portal.wsgi``,
Celery's worker and beat through their start-up signals (``portal.celery``), and ``manage.py``
commands that run system checks through the ``portal.E001``/``E002`` checks. Build steps
(``collectstatic``, ``compilemessages``, ``prepare_notice_fonts``) need neither and run with
``DEBUG`` off and nothing else set.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNDELIVERING = {f"django.core.mail.backends.{name}.EmailBackend"
                for name in ("console", "filebased", "locmem", "dummy")}

EMAIL_REFUSED = ("DEBUG is off: set EMAIL_URL to an SMTP server "
                 "(smtp+tls://user:password@host:587); this backend would never deliver an email.")
BROKER_REFUSED = ("DEBUG is off: set CELERY_BROKER_URL (redis://host:6379/0); without a broker "
                  "every task would run inside the web request.")


def refusals() -> list[tuple[str, str]]:
    """(check id, message) for each thing production lacks; empty when it may serve."""
    if settings.DEBUG:
        return []
    found = []
    if settings.EMAIL_BACKEND in UNDELIVERING:
        found.append(("portal.E001", EMAIL_REFUSED))
    if not settings.CELERY_BROKER_URL:
        found.append(("portal.E002", BROKER_REFUSED))
    return found


def refuse_to_serve() -> None:
    """Raise, naming the first thing missing, before a process starts serving."""
    for _id, message in refusals():
        raise ImproperlyConfigured(message)
