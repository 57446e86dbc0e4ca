"""Emails of payments and settlement, written to the outbox in the transaction of the change
that causes them, one per language of the company's members (``projects.notifications``)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox
from projects.notifications import members_by_language


def enqueue(template: str, context: dict, *, company_id: int, key: str) -> list:
    """The email ``settlement/email/<template>`` to every member of the company, once per
    ``key`` and language."""
    messages = []
    for language, addresses in members_by_language(company_id).items():
        with translation.override(language):
            full = {**context, "SITE_URL": settings.SITE_URL,
                    "dashboard_url": settings.SITE_URL + reverse("dashboard")}
            subject = " ".join(render_to_string(f"settlement/email/{template}_subject.txt",
                                                full).split())
            body = render_to_string(f"settlement/email/{template}_message.txt", full)
        message = outbox.enqueue_email(to=addresses, subject=subject, body=body,
                                       key=f"{key}-{language}")
        if message is not None:
            messages.append(message)
    return messages
