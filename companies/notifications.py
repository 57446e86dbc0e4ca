"""Emails of companies (invitations of colleagues), written to the outbox in the change's
transaction, in the language of the request that caused them."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox

from .models import Invitation


def enqueue_invitation(invitation: Invitation, language: str | None = None):
    """The invitation link, to the invited address (again each time it is sent)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("companies:invitation_accept",
                                          args=[invitation.token])
    return outbox.enqueue_templated_email(
        "companies/email/invitation", {"invitation": invitation, "company": invitation.company,
                                       "url": url},
        to=[invitation.email], language=language)
