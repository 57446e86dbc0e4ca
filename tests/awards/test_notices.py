"""Notices: the PDF (read back with pdftotext), its tasks (idempotent, retried, resumable)
and the public verification page."""

import re
import subprocess
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from applications.enums import ApplicationStatus
from applications.models import Application, StateChange
from awards import notices, selectors, services
from awards.enums import NoticeStatus, Outcome
from awards.models import Notice
from outbox import services as outbox
from outbox.models import Message, Status
from tests.factories.awards import scored_application
from tests.permissions import expect_matrix


def pdf_text(notice) -> str:
    with notice.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()


def pdf_tool(tool, notice) -> str:
    return subprocess.run([tool, notice.file.path], capture_output=True, check=True,
                          text=True).stdout


def facts(text) -> dict[str, str]:
    """``label   value`` rows of the PDF's tables, as pdftotext -layout lays them out."""
    rows = {}
    for line in text.splitlines():
        parts = re.split(r"\s{2,}", line.strip())
        if len(parts) == 2:
            rows.setdefault(parts[0], parts[1])
    return rows


@pytest.fixture
def confirmed(jeonbuk_small, staff, django_capture_on_commit_callbacks):
    """The small Jeonbuk run confirmed, every notice generated and emailed."""
    call, applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)
    return run, applications


def notice_of(run, application):
    return Notice.objects.select_related("line").get(run=run, application=application)


def test_selection_notice_pdf_holds_the_company_the_award_split_and_the_code(confirmed):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    text = pdf_text(notice)
    rows = facts(text)
    company = adv[0].company

    assert "선정 통지서" in text.split("\n", 6)[5]
    assert rows["기업"] == f"{company.name} ({company.registration_number_display})"
    assert rows["공모"] == "2025년 전북특별자치도 지역특화 스마트공장 구축지원사업"
    assert rows["지원 분야"] == "고도화(농식품)"
    assert rows["점수"] == "90.00점 (선정 기준 점수 70.00점)"
    assert rows["분야 내 순위"] == "3개사 중 1위"
    assert rows["총사업비"] == "400,000,000원"
    assert rows["국비(중기부)"] == "200,000,000원"
    assert rows["도비"] == "80,000,000원"
    assert rows["지원금 합계"] == "280,000,000원"
    assert rows["현금"] == "70,000,000원"
    assert rows["현물"] == "50,000,000원"
    assert rows["기업부담금 합계"] == "120,000,000원"
    code = re.search(r"진위 확인 코드 (\S+) ·", text).group(1)
    assert code == notice.code
    assert re.search(r"(http://\S+/notices/verify/\S+/)", text).group(1) == \
        f"http://127.0.0.1:8000/notices/verify/{notice.code}/"
    assert "중소벤처기업부 · 전북특별자치도" in text.splitlines()[0]


def test_notice_pdf_is_one_a4_page_with_the_prepared_hangul_font(confirmed):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    info = dict(line.split(":", 1) for line in pdf_tool("pdfinfo", notice).splitlines()
                if ":" in line)
    assert info["Pages"].strip() == "1"
    assert info["Page size"].strip() == "595.276 x 841.89 pts (A4)"
    fonts = sorted(line.split()[0].split("+", 1)[1]
                   for line in pdf_tool("pdffonts", notice).splitlines()[2:])
    assert fonts == ["NoticeGothic", "NoticeGothic-Bold"]


def test_waitlist_notice_pdf_shows_position_and_the_support_if_selected(confirmed):
    run, adv = confirmed
    notice = notice_of(run, adv[2])
    text = pdf_text(notice)
    rows = facts(text)
    assert notice.kind == Outcome.WAITLISTED
    assert "예비 선정 통지서" in text
    assert rows["예비 순위"] == "1"
    assert rows["분야 내 순위"] == "3개사 중 3위"
    assert rows["지원금 합계"] == "280,000,000원"
    assert "예비 선정에서 선정될 경우 지원 내역" in text


def test_non_selection_notice_pdf_gives_the_reason_and_no_award(confirmed):
    run, applications = confirmed
    notice = notice_of(run, applications[3])
    text = pdf_text(notice)
    assert notice.kind == Outcome.NOT_SELECTED
    assert "미선정 통지서" in text
    assert facts(text)["점수"] == "69.50점 (선정 기준 점수 70.00점)"
    assert "평가 점수 69.50점이 선정 기준 점수 70.00점에 미달합니다." in " ".join(text.split())
    assert "지원금 합계" not in text


def test_confirmed_run_notifies_every_application_and_emails_every_member_once(confirmed):
    run, adv = confirmed
    assert Notice.objects.filter(run=run, status=NoticeStatus.SENT).count() == 4
    assert sorted(Application.objects.filter(call=run.call).values_list("status", flat=True)) \
        == [ApplicationStatus.NOTIFIED] * 4
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"member{i}@company.test"
                                                    for i in range(4)]
    first = next(m for m in mail.outbox if m.to == ["member0@company.test"])
    notice = notice_of(run, adv[0])
    assert first.subject == "[스마트공장 지원 포털] 선정 통지서가 발급되었습니다"
    assert f"진위 확인 코드: {notice.code}" in first.body
    assert "http://127.0.0.1:8000/dashboard/" in first.body
    notified = StateChange.objects.get(application=adv[0],
                                       to_status=ApplicationStatus.NOTIFIED)
    assert (notified.from_status, notified.actor, notified.reason) == (
        ApplicationStatus.SELECTED, None, f"통지서 {notice.code} 발급")


def test_deliver_notice_again_changes_nothing(confirmed, django_capture_on_commit_callbacks):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    before = (notice.file.name, notice.generated_at, notice.emailed_at, notice.status)
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver_notice(notice.pk)
        outbox.send_email(Message.objects.get(key=f"notice-{notice.pk}-email").pk)
    notice.refresh_from_db()
    assert (notice.file.name, notice.generated_at, notice.emailed_at, notice.status) == before
    assert len(mail.outbox) == 4
    assert StateChange.objects.filter(application=adv[0]).count() == 2


def test_batch_run_again_after_a_killed_worker_completes_it_without_duplicates(
        jeonbuk_small, staff, django_capture_on_commit_callbacks):
    """A worker that died after generating two notices and emailing one: running the batch
    again finishes the rest and sends each email once."""
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    services.confirm_run(run, user=staff)  # the commit's callbacks never ran: nothing queued
    ids = list(Notice.objects.filter(run=run).order_by("line__position")
               .values_list("pk", flat=True))
    assert Notice.objects.filter(run=run, status=NoticeStatus.PENDING).count() == 4
    services.deliver_notice(ids[0])
    services.deliver_notice(ids[1])
    outbox.send_email(Message.objects.get(key=f"notice-{ids[0]}-email").pk)
    # The third notice's task was taken by the worker that died: published, never finished.
    Message.objects.filter(key=f"notice-{ids[2]}-generate").update(
        status=Status.PUBLISHED, published_at=timezone.now())
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_notices(run) == (3, 0)
    assert Notice.objects.filter(run=run, status=NoticeStatus.SENT).count() == 4
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"member{i}@company.test"
                                                    for i in range(4)]
    assert len({n.file.name for n in Notice.objects.filter(run=run)}) == 4
    assert StateChange.objects.filter(to_status=ApplicationStatus.NOTIFIED).count() == 4

    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_notices(run) == (0, 0)
    assert len(mail.outbox) == 4


def test_notice_that_cannot_be_stored_is_failed_then_sent_by_the_retry_action(
        jeonbuk_small, staff, settings, tmp_path, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocked)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)
    progress = selectors.notice_progress(run)
    assert (progress.total, progress.failed, progress.sent) == (4, 4, 0)
    failed = Notice.objects.filter(run=run).first()
    assert failed.last_error == (f"NotADirectoryError: [Errno 20] Not a directory: "
                                 f"'{blocked}/notices'")
    assert failed.attempts == 1

    settings.MEDIA_ROOT = str(tmp_path / "media")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_notices(run) == (4, 0)
    progress = selectors.notice_progress(run)
    assert (progress.total, progress.failed, progress.sent, progress.complete) == \
        (4, 0, 4, True)
    assert len(mail.outbox) == 4


# --- The verification page


def test_verify_page_confirms_a_notice_key_facts(confirmed, client):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    response = client.get(f"/notices/verify/{notice.code}/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"통지서 {notice.code}은(는) 포털이 아래 내용으로 발급한 진본입니다." in page
    assert response.context["notice"] == notice
    company = adv[0].company
    assert re.search(r'id="verify-company">([^<]+)<', page).group(1) == \
        f"{company.name} ({company.registration_number_display})"
    assert re.search(r'id="verify-support">([^<]+)<', page).group(1) == "280,000,000원"
    assert re.search(r'id="verify-kind">([^<]+)<', page).group(1) == "선정"


def test_verify_page_accepts_the_code_as_people_type_it(confirmed, client):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    typed = notice.code.replace("-", " ").lower()
    response = client.get("/notices/verify/", {"code": typed})
    assert (response.status_code, response["Location"]) == (
        302, f"/notices/verify/{notice.code}/")
    assert client.get(f"/notices/verify/{notice.code.replace('-', '').lower()}/"
                      ).status_code == 200


def test_verify_page_unknown_code_is_404_with_a_message(db, client):
    with translation.override("en"):
        response = client.get("/notices/verify/ABCD-EFGH-JKMN/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.context["not_found"] is True


def test_verify_form_refuses_a_malformed_code(db, client):
    response = client.get("/notices/verify/", {"code": "12"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["A verification code has 12 letters and digits, such as ABCD-EFGH-JKMN."]}


def test_verify_page_does_not_confirm_a_notice_not_generated_yet(
        jeonbuk_small, staff, client, django_capture_on_commit_callbacks):
    call, _applications = jeonbuk_small
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    services.confirm_run(run, user=staff)  # notices created, none generated
    notice = Notice.objects.filter(run=run).first()
    assert client.get(f"/notices/verify/{notice.code}/").status_code == 404


# --- Downloads


def test_notice_download_only_for_the_company_members_and_staff(confirmed, role_users):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    member = adv[0].company.memberships.get().user
    other_member = adv[1].company.memberships.get().user
    expect_matrix({**role_users, "member": member, "other_member": other_member},
                  f"/notices/{notice.pk}/download/", {
                      "anonymous": 302, "company": 404, "other_company": 404,
                      "operator_gb": 404,
                      "operator_jn": 404, "reviewer": 404, "staff": 200, "member": 200,
                      "other_member": 404})


def test_notice_download_is_the_stored_pdf(confirmed):
    run, adv = confirmed
    notice = notice_of(run, adv[0])
    client = Client()
    client.force_login(adv[0].company.memberships.get().user)
    response = client.get(f"/notices/{notice.pk}/download/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == \
        f'attachment; filename="notice-{notice.code}.pdf"'
    with notice.file.open("rb") as handle:
        assert b"".join(response.streaming_content) == handle.read()


def test_notice_context_figures_come_from_the_result_line(confirmed):
    run, adv = confirmed
    notice = notices.notice_queryset().get(run=run, application=adv[0])
    context = notices.notice_context(notice)
    assert [(row.source, row.amount) for row in context["shares"]] == [
        ("national", 200_000_000), ("provincial", 80_000_000)]
    assert (context["cutoff"], context["min_cash_share"], context["track_count"]) == (
        Decimal("70.00"), Decimal("0.5000"), 3)
    assert context["verify_url"] == f"http://127.0.0.1:8000/notices/verify/{notice.code}/"
    header, svg = context["qr"].split(",", 1)
    assert header == "data:image/svg+xml;charset=utf-8"
    assert unquote(svg).startswith("<svg xmlns='http://www.w3.org/2000/svg'")
    assert context["issued_at"] == timezone.localtime(notice.generated_at)


def test_cluster_notice_shows_the_support_of_each_member_company(
        demo, staff, panel, django_capture_on_commit_callbacks):
    from applications.models import PlanVersion
    from programs.models import Call

    call = Call.objects.get(code="2025-CL")
    application = scored_application(call.tracks.get(), cost=500_000_000, panel=panel)
    members = [{"company_id": None, "company": f"클러스터{i}식품",
                "registration_number": "1248100998", "cost": cost,
                "contribution_in_kind": 10_000_000}
               for i, cost in enumerate([100_000_000, 100_000_000, 100_000_000, 100_000_000,
                                         60_000_000])]
    PlanVersion.objects.filter(application=application).update(
        total_cost=460_000_000, data={"kind": "cluster", "members": members})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run, user=staff)
    line = run.lines.get()
    assert (line.outcome, line.national, line.project_cost) == (Outcome.SELECTED, 190_000_000,
                                                                460_000_000)
    assert [(m["company"], m["cost"], m["support_total"]) for m in line.members] == [
        ("클러스터0식품", 100_000_000, 40_000_000), ("클러스터1식품", 100_000_000, 40_000_000),
        ("클러스터2식품", 100_000_000, 40_000_000), ("클러스터3식품", 100_000_000, 40_000_000),
        ("클러스터4식품", 60_000_000, 30_000_000)]
    # In kind: the members' 50,000,000 together, within the 50% cash minimum of 270,000,000.
    assert (line.contribution_cash, line.contribution_in_kind) == (220_000_000, 50_000_000)
    text = pdf_text(notice_of(run, application))
    rows = facts(text)
    assert rows["지원금 합계"] == "190,000,000원"
    assert "참여기업별 지원 내역" in text
    member_rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()
                   if line.strip().startswith("클러스터")]
    assert member_rows == [[f"클러스터{i}식품", cost, support] for i, (cost, support) in
                           enumerate([("100,000,000원", "40,000,000원")] * 4
                                     + [("60,000,000원", "30,000,000원")])]
