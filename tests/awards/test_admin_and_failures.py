"""The admin's read-only records and retry action; a computation that fails is recorded."""

from decimal import Decimal

from django.test import Client
from django.utils import translation

from awards import services
from awards.enums import NoticeStatus, RunStatus
from awards.models import AwardRun, Notice
from programs.models import FundingShare


def test_admin_lists_runs_lines_and_notices_read_only(jeonbuk_small, staff,
                                                      django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    services.confirm_run(run, user=staff)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    for path in ("awardrun", "resultline", "notice"):
        response = client.get(f"/admin/awards/{path}/")
        assert response.status_code == 200
        assert response.context["cl"].result_count == (1 if path == "awardrun" else 4)
        assert f'href="/admin/awards/{path}/add/"' not in response.content.decode()
    assert client.get(f"/admin/awards/awardrun/{run.pk}/change/").status_code == 200
    assert client.post(f"/admin/awards/awardrun/{run.pk}/delete/").status_code == 403


def test_admin_action_queues_the_unsent_notices_again(jeonbuk_small, staff,
                                                      django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    services.confirm_run(run, user=staff)  # notices created, none queued
    notice = Notice.objects.filter(run=run).first()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/awards/notice/", {
            "action": "send_again", "_selected_action": [notice.pk]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["4 notices queued, 0 pending."]
    assert Notice.objects.filter(run=run, status=NoticeStatus.SENT).count() == 4


def test_a_computation_that_fails_marks_the_run_refused_with_the_error(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    FundingShare.objects.create(track=call.tracks.get(order=2), source="lottery",
                                rate=Decimal("0.1"))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    run = AwardRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.REFUSED
    assert run.refusal_reason == "산정에 실패했습니다: ValueError: tuple.index(x): x not in tuple"
