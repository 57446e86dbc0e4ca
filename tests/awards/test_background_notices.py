"""Confirming a run returns at once on the embedded default too (issue 11, point 6): with no
broker the notices are not made inside the confirmation request; the run's page polls its
progress and each poll makes the next notice, so the bar moves from 0 to full. With a broker
(tests/awards/test_tasks.py) they are published after the commit as always."""

import re

import pytest
from django.test import Client

from awards import selectors, services
from awards.enums import NoticeStatus
from awards.models import notices_group
from outbox import services as outbox
from outbox.models import Message, Status


@pytest.fixture(autouse=True)
def background(settings):
    settings.OUTBOX_EAGER_BACKGROUND = True


def progress_bar(html):
    match = re.search(r'<progress class="w-100" value="(\d+)" max="(\d+)"', html)
    return int(match[1]), int(match[2])


def test_confirming_queues_the_notices_and_each_poll_makes_the_next(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/awards/runs/{run.pk}/confirm/")
    assert response.status_code == 302  # and no notice was made in the request:
    progress = selectors.notice_progress(run)
    assert (progress.total, progress.done, progress.sent, progress.pending) == (4, 0, 0, 0)
    assert set(run.notices.values_list("status", flat=True)) == {NoticeStatus.PENDING}
    assert Message.objects.filter(group=notices_group(run.pk),
                                  status=Status.PENDING).count() == 4
    page = client.get(f"/manage/awards/runs/{run.pk}/").content.decode()
    assert progress_bar(page) == (0, 4)
    assert 'hx-trigger="load delay:100ms"' in page
    bars = []
    for _poll in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            html = client.get(f"/manage/awards/runs/{run.pk}/notices/progress/",
                              HTTP_HX_REQUEST="true").content.decode()
        bars.append(progress_bar(html))
    assert bars == [(1, 4), (2, 4), (3, 4), (4, 4)]
    # (Here each poll's email leaves after its response, when the test's commit callbacks
    # run; a real request sends it before reading the progress.) Once all are sent, the bar
    # stops asking.
    html = client.get(f"/manage/awards/runs/{run.pk}/notices/progress/",
                      HTTP_HX_REQUEST="true").content.decode()
    assert progress_bar(html) == (4, 4)
    assert "hx-get=" not in html
    assert set(run.notices.values_list("status", flat=True)) == {NoticeStatus.SENT}


def test_with_a_broker_work_on_leaves_the_work_to_the_workers(db, settings):
    from portal.celery import app

    app.conf.task_always_eager = False
    try:
        assert outbox.work_on("notices-1") == 0
    finally:
        app.conf.task_always_eager = True
