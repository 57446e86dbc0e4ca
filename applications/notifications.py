"""Emails of the applications app, rendered in the language of the request that caused them.

Each function loads what it needs by id, so a task can run it again safely: sending the same
email twice is the worst a retry can do.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Invitation, PlanVersion


def _send(template: str, context: dict, recipients: list[str]):
    subject = " ".join(render_to_string(f"applications/email/{template}_subject.txt",
                                        context).split())
    body = render_to_string(f"applications/email/{template}_message.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send_invitation(invitation_pk: int, language: str | None = None):
    invitation = Invitation.objects.select_related("company", "invited_by").get(
        pk=invitation_pk)
    if invitation.accepted_at is not None:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("applications:invitation_accept",
                                          args=[invitation.token])
        _send("invitation", {"invitation": invitation, "company": invitation.company,
                             "url": url, "SITE_URL": settings.SITE_URL}, [invitation.email])


def send_submission_confirmation(version_pk: int, language: str | None = None):
    version = PlanVersion.objects.select_related(
        "application", "application__call", "application__track", "application__company",
    ).get(pk=version_pk)
    application = version.application
    recipients = sorted(application.company.memberships.values_list("user__email", flat=True))
    if not recipients:
        return
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        _send("submitted", {"application": application, "version": version, "url": url,
                            "SITE_URL": settings.SITE_URL}, recipients)
