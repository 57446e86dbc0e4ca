"""The data `make smoke` (scripts/smoke.py) seeds around its browser journey.

Imported by the smoke driver once Django is set up against the smoke database. The programmes
come from ``manage.py load_demo --no-accounts`` (the documented production step); these
functions add what a journey of a few minutes cannot produce through the pages: a staff
account with its authenticator app, and the reviews that make a call ready for an award run.
"""

from decimal import Decimal

from django.apps import apps
from django.db import transaction

from applications.enums import ApplicationStatus
from applications.models import Application
from programs.models import Call
from tests.factories import portal as portal_factories
from tests.factories.applications import CompanyFactory
from tests.factories.awards import close_call, reviewers, scored_application, scoring_round_of
from tests.factories.portal import PASSWORD, UserFactory
from tests.factories.reviews import submitted_review

STAFF_EMAIL = "staff@smoke.test"
MEMBER_EMAIL = "member{:02d}@smoke.test"


def totp_secret() -> str | None:
    """The staff account's authenticator secret, when the portal has two-factor sign-in."""
    if not apps.is_installed("allauth.mfa"):
        return None
    return getattr(portal_factories, "TOTP_SECRET", None)


def staff() -> dict:
    """Ministry staff (also Django admin) with a verified address and, when the portal has
    two-factor sign-in, an active TOTP authenticator of a known secret."""
    user = UserFactory(email=STAFF_EMAIL, is_staff=True, is_superuser=True,
                       full_name="선정 담당")
    secret = totp_secret()
    if secret:
        portal_factories.give_totp(user, secret)
    return {"email": user.email, "password": PASSWORD, "totp_secret": secret}


@transaction.atomic
def score_call(call_code: str, *, others: int) -> dict:
    """Close the call, score every application submitted through the pages (three reviewers),
    and add ``others`` scored applications of its basic track, each with one member account:
    the call is ready for an award run, and every notice emails exactly one person."""
    call = close_call(Call.objects.get(code=call_code))
    track = call.tracks.get(kind="basic")
    panel = reviewers(3)
    evaluation_round = scoring_round_of(call)
    submitted = list(Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED))
    for application in submitted:
        for reviewer, total in zip(panel, (Decimal(93), Decimal(91), Decimal(92)), strict=True):
            submitted_review(application, evaluation_round, total, reviewer=reviewer)
    Application.objects.filter(pk__in=[a.pk for a in submitted]).update(
        status=ApplicationStatus.SCORED)
    for i in range(others):
        scored_application(
            track, cost=100_000_000, totals=(Decimal(88) - i % 20, Decimal(86) - i % 20,
                                             Decimal(87) - i % 20),
            panel=panel, evaluation_round=evaluation_round,
            company=CompanyFactory(name=f"스모크식품 {i + 1:02d}", region=call.region),
            member=UserFactory(email=MEMBER_EMAIL.format(i + 1)))
    return {"call": call.pk, "applications": len(submitted) + others,
            "from_pages": [a.pk for a in submitted]}
