"""Award runs and notices change state only through their transition tables
(``services.change_run_status`` / ``change_notice_status`` over ``portal.state``), each move
with its audit row."""

import pytest
from django.utils import translation

from awards import services
from awards.enums import NoticeStatus, RunStatus
from awards.models import AwardRun, AwardRunStateChange, Notice, NoticeStateChange

pytestmark = pytest.mark.django_db


def run_trail(run):
    return list(AwardRunStateChange.objects.filter(run=run).order_by("pk")
                .values_list("from_status", "to_status", "actor"))


def test_a_run_computed_then_confirmed_leaves_one_audit_row_per_move(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)

    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED
    assert run_trail(run) == [("queued", "preview", None), ("preview", "confirmed", staff.pk)]
    confirmation = AwardRunStateChange.objects.get(run=run, to_status=RunStatus.CONFIRMED)
    assert confirmation.reason == f"선정 산정 #{run.pk} (산정 기준 버전 {run.rule_version})"


def test_every_notice_is_generated_then_sent_with_its_audit_rows(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)

    trails = {}
    for change in NoticeStateChange.objects.filter(notice__run=run).order_by("pk"):
        trails.setdefault(change.notice_id, []).append((change.from_status, change.to_status))
    notices = list(Notice.objects.filter(run=run).values_list("pk", "status"))
    assert [status for _pk, status in notices] == [NoticeStatus.SENT] * 4
    assert {pk: trails[pk] for pk, _status in notices} == {
        pk: [("pending", "generated"), ("generated", "sent")] for pk, _status in notices}


def test_a_refused_computation_is_audited_with_its_reason(jeonbuk, staff):
    run = AwardRun.objects.create(call=jeonbuk[0], started_by=staff)  # nothing scored yet

    services.compute_run(run.pk)

    run.refresh_from_db()
    [change] = AwardRunStateChange.objects.filter(run=run)
    assert (run.status, change.from_status, change.to_status, change.reason) == (
        RunStatus.REFUSED, "queued", "refused",
        "이 공모에 평가가 완료된 신청이 없어 선정할 대상이 없습니다.")
    assert run.refusal_reason == change.reason


def test_a_failure_recorded_after_the_run_was_computed_changes_nothing(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)

    services.record_run_failure(run.pk, "TimeoutError: a late retry")

    run.refresh_from_db()
    assert (run.status, run.refusal_reason, len(run_trail(run))) == (RunStatus.PREVIEW, "", 1)


def test_a_move_the_table_does_not_allow_is_refused_and_leaves_no_trace(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)

    with translation.override("en"), pytest.raises(services.StatusChangeRefused) as refused:
        services.change_run_status(run, RunStatus.QUEUED, actor=staff)

    assert refused.value.messages == [
        "An award run cannot go from “Preview” to “Computing”."]
    assert (AwardRun.objects.get(pk=run.pk).status, len(run_trail(run))) == (
        RunStatus.PREVIEW, 1)


def test_the_admin_shows_a_runs_trail_read_only(jeonbuk_small, staff,
                                                django_capture_on_commit_callbacks):
    from django.test import Client

    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)

    page = client.get(f"/admin/awards/awardrun/{run.pk}/change/")

    [inline] = page.context["inline_admin_formsets"]
    assert (page.status_code, inline.opts.model, len(inline.formset.queryset),
            inline.has_add_permission, inline.has_change_permission) == (
        200, AwardRunStateChange, 1, False, False)
