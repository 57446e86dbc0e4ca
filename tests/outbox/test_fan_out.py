"""The fan-out task publishes the messages it is given itself: handing them to yet another
fan-out task (because they are still more than OUTBOX_INLINE_PUBLISH) looped forever in a
worker — `make smoke` saw hundreds of publish_messages tasks a second after an award run."""

from outbox import services as outbox
from outbox import tasks
from outbox.models import Message, Status
from portal.celery import app as celery_app


def test_fan_out_task_publishes_the_messages_itself_instead_of_handing_them_on(
        db, settings, monkeypatch):
    settings.OUTBOX_INLINE_PUBLISH = 2
    handed_on, sent = [], []
    monkeypatch.setattr(tasks.publish_messages, "apply_async",
                        lambda args, **options: handed_on.append(args))
    monkeypatch.setattr(outbox, "_send_to_broker", lambda message: sent.append(message.pk))
    celery_app.conf.task_always_eager = False  # set back by the suite's autouse fixture
    ids = outbox.enqueue_tasks("outbox.drain", [[], [], []], keys=["fan-1", "fan-2", "fan-3"],
                               group="g")  # no commit in the test: they stay pending
    assert tasks.publish_messages(ids) == (3, 0)
    assert (handed_on, sent) == ([], ids)
    assert list(Message.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.PUBLISHED] * 3
