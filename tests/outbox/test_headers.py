"""Extra headers of an email (List-Unsubscribe, say) travel in the message and are sent."""

import pytest
from django.core import mail

from outbox import services as outbox
from outbox.models import Message


def test_email_headers_are_stored_and_sent_beside_the_outbox_ones(
        db, settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MESSAGE_ID_DOMAIN = "portal.test"
    headers = {"List-Unsubscribe": "<https://portal.test/u/abc/>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue_email(to=["member@company.test"], subject="Subject",
                                       body="Body", key="alert-1", headers=headers)
    assert Message.objects.get(pk=message.pk).payload["headers"] == headers
    (sent,) = mail.outbox
    assert sent.extra_headers == {**headers, "Message-ID": "<outbox.alert-1@portal.test>",
                                  "X-Portal-Outbox-Key": "alert-1"}
    assert sent.message()["List-Unsubscribe"] == "<https://portal.test/u/abc/>"


def test_email_without_headers_stores_none(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue_email(to=["a@b.test"], subject="S", body="B", key="plain")
    assert "headers" not in Message.objects.get(pk=message.pk).payload


@pytest.mark.parametrize("name", ["Message-ID", "x-portal-outbox-key"])
def test_email_header_the_outbox_sets_itself_is_refused(db, name):
    with pytest.raises(ValueError):
        outbox.enqueue_email(to=["a@b.test"], subject="S", body="B", headers={name: "x"})
    assert Message.objects.count() == 0
