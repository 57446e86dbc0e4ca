"""The Celery side: a real worker against Redis when a broker is configured (CI), the eager
path otherwise; an unreachable broker when staff start or confirm a run."""

import os
import subprocess
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections
from django.test import Client

from applications.enums import ApplicationStatus
from applications.models import Application
from awards import selectors, services
from awards.enums import NoticeStatus, RunStatus
from awards.models import AwardRun, Notice
from outbox import tasks as outbox_tasks
from portal.celery import app as celery_app
from tests.brokers import broker_at

BROKER = os.environ.get("CELERY_BROKER_URL", "")


def close_thread_connections(**kwargs):
    """The worker thread's database connections, closed after each task (the test database
    is dropped at the end)."""
    connections.close_all()


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def pdf_text(notice):
    return subprocess.run(["pdftotext", notice.file.path, "-"], capture_output=True,
                          check=True, text=True).stdout


@pytest.mark.django_db(transaction=True)
def test_worker_computes_the_run_and_generates_every_notice_end_to_end(jeonbuk_small, staff):
    """With ``CELERY_BROKER_URL`` set (CI: Redis), a real worker thread consumes the tasks from
    the broker (its database 15, apart from anything else); on the embedded default the same
    calls run eagerly. Either way: a computed preview, then every notice generated, stored,
    the applications notified and one email per member."""
    call, applications = jeonbuk_small
    if BROKER:
        url = BROKER.rsplit("/", 1)[0] + "/15"
        task_postrun.connect(close_thread_connections, weak=False)
        try:
            with broker_at(url), start_worker(celery_app, perform_ping_check=False,
                                              shutdown_timeout=30):
                run = services.start_run(call, user=staff)
                assert wait_for(lambda: AwardRun.objects.get(pk=run.pk).status
                                == RunStatus.PREVIEW)
                services.confirm_run(run, user=staff)
                assert wait_for(lambda: selectors.notice_progress(run).complete)
        finally:
            task_postrun.disconnect(close_thread_connections)
        mode = "worker"
    else:
        run = services.start_run(call, user=staff)  # no transaction around: runs at once
        assert AwardRun.objects.get(pk=run.pk).status == RunStatus.PREVIEW
        services.confirm_run(run, user=staff)
        mode = "eager"

    assert mode == ("worker" if BROKER else "eager")
    progress = selectors.notice_progress(run)
    assert (progress.total, progress.sent, progress.pending, progress.failed) == (4, 4, 0, 0)
    assert sorted(Application.objects.filter(call=call).values_list("status", flat=True)) == \
        [ApplicationStatus.NOTIFIED] * 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"member{i}@company.test"
                                                    for i in range(4)]
    notice = Notice.objects.get(run=run, application=applications[0])
    text = pdf_text(notice)
    assert notice.code in text
    assert applications[0].company.name in text
    assert "280,000,000원" in text


def test_start_run_with_the_broker_unreachable_stays_computing_until_queued_again(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with broker_at("redis://127.0.0.1:1/0"):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.start_run(call, user=staff)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED
    client = Client()
    client.force_login(staff)
    page = client.get(f"/manage/awards/runs/{run.pk}/").content.decode()
    assert f'action="/manage/awards/runs/{run.pk}/requeue/"' in page

    # The broker is back (here: the eager default).
    response = client.post(f"/manage/awards/runs/{run.pk}/requeue/")
    assert (response.status_code, response["Location"]) == (302,
                                                            f"/manage/awards/runs/{run.pk}/")
    run.refresh_from_db()
    assert run.status == RunStatus.PREVIEW


def test_confirm_with_the_broker_unreachable_records_the_run_and_keeps_notices_pending(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    client = Client()
    client.force_login(staff)
    with broker_at("redis://127.0.0.1:1/0"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/manage/awards/runs/{run.pk}/confirm/")
        assert response.status_code == 302
        run.refresh_from_db()
        assert run.status == RunStatus.CONFIRMED
        progress = selectors.notice_progress(run)
        assert (progress.total, progress.pending, progress.sent) == (4, 4, 0)
        page = client.get(f"/manage/awards/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        assert 'id="notices-pending"' in page.content.decode()
        assert 'id="send-notices"' in page.content.decode()
        # Retrying while the broker is still down leaves them pending, with a message.
        response = client.post(f"/manage/awards/runs/{run.pk}/notices/send/", follow=True,
                               HTTP_ACCEPT_LANGUAGE="en")
        assert [str(m) for m in response.context["messages"]] == [
            "The task queue cannot be reached: 4 notices are still pending. Try again in a "
            "moment."]
        assert selectors.notice_progress(run).pending == 4
    assert len(mail.outbox) == 0
    assert sorted(Application.objects.filter(call=call).values_list("status", flat=True)) == \
        [ApplicationStatus.NOT_SELECTED, ApplicationStatus.SELECTED, ApplicationStatus.SELECTED,
         ApplicationStatus.WAITLISTED]

    # The broker is back: the retry action sends them all, once.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/awards/runs/{run.pk}/notices/send/", follow=True,
                               HTTP_ACCEPT_LANGUAGE="en")
    assert [str(m) for m in response.context["messages"]] == ["4 notices queued."]
    progress = selectors.notice_progress(run)
    assert (progress.total, progress.pending, progress.sent, progress.complete) == \
        (4, 0, 4, True)
    assert len(mail.outbox) == 4
    assert Notice.objects.filter(run=run, status=NoticeStatus.SENT).count() == 4


def test_pending_notices_are_sent_by_the_beat_drain_when_the_broker_returns(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    """Issue 9, finding 5: notices left pending by a broker outage waited for staff to press
    "send pending notices"; beat's outbox drain now sends them by itself, once."""
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)
    assert (selectors.notice_progress(run).pending, len(mail.outbox)) == (4, 0)

    with django_capture_on_commit_callbacks(execute=True):
        outbox_tasks.drain.delay()  # what beat queues every OUTBOX_DRAIN_SECONDS
    progress = selectors.notice_progress(run)
    assert (progress.total, progress.pending, progress.sent, progress.complete) == \
        (4, 0, 4, True)
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        outbox_tasks.drain.delay()
    assert len(mail.outbox) == 4
