"""Emails of the post-award life cycle, written to the outbox in the transaction of the change
that causes them, rendered in the language of the person they are for (the request's language
when the company acts itself, the site's when staff or a task act for it)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from companies.models import Membership
from outbox import services as outbox


def company_addresses(company_id: int) -> list[str]:
    return list(Membership.objects.filter(company_id=company_id).order_by("pk")
                .values_list("user__email", flat=True))


def enqueue(template: str, context: dict, *, company_id: int, key: str,
            language: str | None = None, **options):
    """The email ``projects/email/<template>`` to every member of the company, once per
    ``key``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "SITE_URL": settings.SITE_URL,
                   "dashboard_url": settings.SITE_URL + reverse("dashboard")}
        subject = " ".join(render_to_string(f"projects/email/{template}_subject.txt",
                                            context).split())
        body = render_to_string(f"projects/email/{template}_message.txt", context)
    return outbox.enqueue_email(to=company_addresses(company_id), subject=subject, body=body,
                                key=key, **options)
