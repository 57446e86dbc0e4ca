"""Emails of the applications app, rendered in the language of the request that caused them and
written to the outbox in the same transaction (``outbox.services``): a committed invitation or
submission always has its email, sent once after the commit."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox

from .models import PlanVersion


def enqueue_submission_confirmation(version: PlanVersion, language: str | None = None):
    """The receipt of a submitted version, to every member of the company (once a version)."""
    application = version.application
    recipients = sorted(application.company.memberships.values_list("user__email", flat=True))
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
    return outbox.enqueue_templated_email(
        "applications/email/submitted", {"application": application, "version": version,
                                         "url": url},
        to=recipients, language=language, key=f"plan-version-{version.pk}-submitted")
