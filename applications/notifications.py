"""Emails of the applications app, rendered in the language of the request that caused them and
written to the outbox in the same transaction (``outbox.services``): a committed invitation or
submission always has its email, sent once after the commit."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox

from .models import Invitation, PlanVersion


def _enqueue(template: str, context: dict, recipients: list[str], language: str | None,
             key: str | None = None):
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "SITE_URL": settings.SITE_URL}
        subject = " ".join(render_to_string(f"applications/email/{template}_subject.txt",
                                            context).split())
        body = render_to_string(f"applications/email/{template}_message.txt", context)
    return outbox.enqueue_email(to=recipients, subject=subject, body=body, key=key)


def enqueue_invitation(invitation: Invitation, language: str | None = None):
    """The invitation link, to the invited address (again each time it is sent)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("applications:invitation_accept",
                                          args=[invitation.token])
    return _enqueue("invitation", {"invitation": invitation, "company": invitation.company,
                                   "url": url}, [invitation.email], language)


def enqueue_submission_confirmation(version: PlanVersion, language: str | None = None):
    """The receipt of a submitted version, to every member of the company (once a version)."""
    application = version.application
    recipients = sorted(application.company.memberships.values_list("user__email", flat=True))
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
    return _enqueue("submitted", {"application": application, "version": version, "url": url},
                    recipients, language, key=f"plan-version-{version.pk}-submitted")
