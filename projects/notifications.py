"""Emails of the post-award life cycle, written to the outbox in the transaction of the change
that causes them, each in its recipient's language (``User.email_language``: the language the
account last used): a company's members who read different languages get one email per
language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from companies.models import Membership
from outbox import services as outbox


def members_by_language(company_id: int) -> dict[str, list[str]]:
    """The company's members' addresses grouped by the language of their emails."""
    groups: dict[str, list[str]] = {}
    for email, language in (Membership.objects.filter(company_id=company_id).order_by("pk")
                            .values_list("user__email", "user__language")):
        groups.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    return groups


def enqueue(template: str, context: dict, *, company_id: int, key: str, **options) -> list:
    """The email ``projects/email/<template>`` to every member of the company, once per
    ``key`` and language; returns the messages written."""
    messages = []
    for language, addresses in members_by_language(company_id).items():
        with translation.override(language):
            full = {**context, "SITE_URL": settings.SITE_URL,
                    "dashboard_url": settings.SITE_URL + reverse("dashboard")}
            subject = " ".join(render_to_string(f"projects/email/{template}_subject.txt",
                                                full).split())
            body = render_to_string(f"projects/email/{template}_message.txt", full)
        message = outbox.enqueue_email(to=addresses, subject=subject, body=body,
                                       key=f"{key}-{language}", **options)
        if message is not None:
            messages.append(message)
    return messages
