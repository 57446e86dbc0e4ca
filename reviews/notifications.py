"""Emails of the reviews app, written to the outbox (``outbox.services``) and sent once each
after the commit: the companies whose application did not pass a round of a call evaluated in
rounds (DOMAIN.md §5.1) hear it when the next round opens without them."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outbox import services as outbox

from .models import RoundResult

NOT_PASSED_TASK = "reviews.notify_not_passed"


def not_passed_key(round_id: int) -> str:
    return f"round-{round_id}-not-passed"


def enqueue_not_passed(evaluation_round) -> None:
    """In the transaction that opens the next round: one task that writes the emails (a round
    may stop thousands of applications; the request writes one row)."""
    outbox.enqueue_task(NOT_PASSED_TASK, evaluation_round.pk,
                        key=not_passed_key(evaluation_round.pk))


def write_not_passed(round_id: int) -> int:
    """An email to every member of each company whose application did not pass the round,
    in the site's language; once per application and round, however often it runs. Returns
    how many applications had one written (new or already there)."""
    results = (RoundResult.objects.filter(round_id=round_id, passed=False)
               .select_related("round", "round__call", "application",
                               "application__company", "application__call")
               .prefetch_related("application__company__memberships__user")
               .order_by("application_id"))
    written = 0
    for result in results.iterator(chunk_size=500):
        application = result.application
        recipients = sorted(m.user.email for m in application.company.memberships.all())
        with translation.override(settings.LANGUAGE_CODE):
            url = settings.SITE_URL + reverse("applications:detail", args=[application.pk])
        message = outbox.enqueue_templated_email(
            "reviews/email/not_passed",
            {"application": application, "evaluation_round": result.round, "result": result,
             "url": url},
            to=recipients, key=f"{not_passed_key(round_id)}-{application.pk}")
        written += message is not None
    return written
