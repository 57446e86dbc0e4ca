"""Companies keep being served while Redis (the cache and the task broker) is away."""

from django.core import mail

from applications.models import Application, PlanVersion
from outbox import services as outbox
from outbox.models import Message, Status
from tests.applications.test_views import client_for, submit
from tests.brokers import UNREACHABLE, broker_at


def test_submission_while_the_broker_and_the_cache_are_down_answers_and_emails_later(
        application, member, settings, django_capture_on_commit_callbacks):
    """Issue 9, finding 3: the submission used to answer 500 and lose its email."""
    settings.CACHES = {"default": {"BACKEND": "portal.cache.ResilientRedisCache",
                                   "LOCATION": UNREACHABLE}}
    client = client_for(member)
    with broker_at(UNREACHABLE), django_capture_on_commit_callbacks(execute=True):
        response = submit(client, application)
    assert (response.status_code, response.url) == (302, f"/applications/{application.pk}/")
    assert Application.objects.get().receipt_number == "2025-GB-0001"
    version = PlanVersion.objects.get()
    message = Message.objects.get(key=f"plan-version-{version.pk}-submitted")
    assert (message.status, len(mail.outbox)) == (Status.PENDING, 0)

    due = outbox.due().count()  # this email, and the demo announcements' alert tasks
    assert outbox.drain() == (due, 0)
    message.refresh_from_db()
    assert message.status == Status.DONE
    assert [m.subject for m in mail.outbox] == ["Application received: 2025-GB-0001"]
    assert outbox.drain() == (0, 0)
    assert len(mail.outbox) == 1
