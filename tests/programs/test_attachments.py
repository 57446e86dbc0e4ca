"""Announcement attachments: checked by content and size, kept out of public URLs, downloaded
only as attachments and only where the announcement may be seen."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from programs.enums import AnnouncementAction
from programs.models import Announcement, AnnouncementAttachment, Call
from tests.factories.programs import AnnouncementFactory
from tests.programs.files import (
    docx_bytes,
    executable_bytes,
    hwp_bytes,
    hwpx_bytes,
    pdf_bytes,
    upload,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

TITLE = "2025년 경북 첨부파일 공고"
BODY = "## 제출 서류\n\n- 사업계획서\n- 재무제표"


@pytest.fixture
def operator(role_users):
    client = Client()
    client.force_login(role_users["operator_gb"])
    return client


@pytest.fixture
def gb(demo):
    return Call.objects.get(code="2025-GB")


def post_new(client, call, *files):
    return client.post("/manage/announcements/new/", {
        "call": call.pk, "title": TITLE, "title_en": "With attachments", "body": BODY,
        "body_en": "", "attachments": list(files)})


def assert_refused_and_kept(response, message):
    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {"attachments": [message]}
    assert (form["title"].value(), form["title_en"].value(), form["body"].value()) == (
        TITLE, "With attachments", BODY)
    html = response.content.decode()
    assert message in html
    assert f'value="{TITLE}"' in html
    assert Announcement.objects.filter(title=TITLE).count() == 0
    assert AnnouncementAttachment.objects.count() == 0


def test_executable_renamed_pdf_refused_with_message_and_input_kept(operator, gb):
    response = post_new(operator, gb, upload("사업공고.pdf", executable_bytes(),
                                             "application/pdf"))
    assert_refused_and_kept(
        response,
        "파일 “사업공고.pdf”은(는) 허용된 형식(DOCX, HWP, HWPX, PDF, XLSX)이 아닙니다. "
        "파일 이름이 아니라 내용을 확인했습니다.")


def test_21_mb_file_refused_with_message_and_input_kept(operator, gb):
    big = pdf_bytes() + b"\0" * (21 * 1024 * 1024 - len(pdf_bytes()))
    response = post_new(operator, gb, upload("big.pdf", big, "application/pdf"))
    assert_refused_and_kept(
        response,
        "파일 “big.pdf”의 크기는 21.0\xa0MB입니다. 최대 20.0\xa0MB까지 제출할 수 있습니다.")


def test_empty_file_refused_with_message_and_input_kept(operator, gb):
    response = post_new(operator, gb, upload("empty.pdf", b"", "application/pdf"))
    assert_refused_and_kept(response, "파일 “empty.pdf”이(가) 비어 있습니다.")


def test_plain_zip_renamed_docx_refused(operator, gb):
    response = post_new(operator, gb, upload("plan.docx", zip_bytes()))
    assert response.context["form"].errors["attachments"] == [
        "파일 “plan.docx”은(는) 허용된 형식(DOCX, HWP, HWPX, PDF, XLSX)이 아닙니다. "
        "파일 이름이 아니라 내용을 확인했습니다."]


def test_one_bad_file_among_good_ones_refuses_all_and_saves_nothing(operator, gb):
    response = post_new(operator, gb, upload("ok.pdf", pdf_bytes()),
                        upload("empty.hwp", b""))
    assert response.context["form"].errors == {
        "attachments": ["파일 “empty.hwp”이(가) 비어 있습니다."]}
    assert Announcement.objects.filter(title=TITLE).count() == 0


@pytest.mark.parametrize(("name", "build", "mime"), [
    ("공고문.pdf", pdf_bytes, "application/pdf"),
    ("신청서.hwp", hwp_bytes, "application/x-hwp"),
    ("신청서.hwpx", hwpx_bytes, "application/hwp+zip"),
    ("사업계획서.docx", docx_bytes,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("예산표.xlsx", xlsx_bytes,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_document_types_accepted_by_content(operator, gb, name, build, mime):
    data = build()
    response = post_new(operator, gb, upload(name, data, "application/octet-stream"))
    announcement = Announcement.objects.get(title=TITLE)
    assert response["Location"] == f"/manage/announcements/{announcement.pk}/preview/"
    attachment = announcement.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        name, mime, len(data))
    assert attachment.file.name.startswith(f"announcements/{announcement.pk}/")
    assert not attachment.file.name.endswith(name)  # stored under a random name
    with attachment.file.open("rb") as stored:
        assert stored.read() == data


def test_several_files_in_one_upload_all_saved(operator, gb):
    post_new(operator, gb, upload("a.pdf", pdf_bytes()), upload("b.xlsx", xlsx_bytes()))
    announcement = Announcement.objects.get(title=TITLE)
    assert list(announcement.attachments.values_list("original_name", flat=True)) == [
        "a.pdf", "b.xlsx"]
    assert list(announcement.changes.values_list("action", "detail")) == [
        (AnnouncementAction.CREATED, ""),
        (AnnouncementAction.ATTACHMENT_ADDED, "a.pdf"),
        (AnnouncementAction.ATTACHMENT_ADDED, "b.xlsx"),
    ]


def test_download_is_an_attachment_with_original_name(operator, gb):
    post_new(operator, gb, upload("공고문.pdf", pdf_bytes()))
    announcement = Announcement.objects.get(title=TITLE)
    attachment = announcement.attachments.get()
    operator.post(f"/manage/announcements/{announcement.pk}/publish/")

    response = Client().get(f"/announcements/{announcement.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%EA%B3%B5%EA%B3%A0%EB%AC%B8.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_download_of_draft_attachment_only_for_managers(operator, gb):
    post_new(operator, gb, upload("초안.pdf", pdf_bytes()))
    announcement = Announcement.objects.get(title=TITLE)
    url = f"/announcements/{announcement.pk}/attachments/{announcement.attachments.get().pk}/"
    assert Client().get(url).status_code == 404
    response = operator.get(url)
    assert (response.status_code, response["Content-Disposition"]) == (
        200, "attachment; filename*=utf-8''%EC%B4%88%EC%95%88.pdf")


def test_uploaded_files_have_no_public_url(operator, gb, settings):
    post_new(operator, gb, upload("공고문.pdf", pdf_bytes()))
    attachment = AnnouncementAttachment.objects.get()
    assert Client().get(f"{settings.MEDIA_URL}{attachment.file.name}").status_code == 404


def test_detail_page_lists_attachment_links(operator, gb):
    post_new(operator, gb, upload("공고문.pdf", pdf_bytes()))
    announcement = Announcement.objects.get(title=TITLE)
    attachment = announcement.attachments.get()
    html = operator.get(f"/manage/announcements/{announcement.pk}/preview/").content.decode()
    assert f'href="/announcements/{announcement.pk}/attachments/{attachment.pk}/"' in html


def test_attachment_delete_removes_row_and_file_after_commit(
        operator, gb, django_capture_on_commit_callbacks):
    announcement = AnnouncementFactory(call=gb, draft=True)
    operator.post(f"/manage/announcements/{announcement.pk}/edit/", {
        "call": gb.pk, "title": "t", "body": "b", "attachments": [upload("x.pdf", pdf_bytes())]})
    attachment = announcement.attachments.get()
    name = attachment.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = operator.post(
            f"/manage/announcements/{announcement.pk}/attachments/{attachment.pk}/delete/")

    assert response["Location"] == f"/manage/announcements/{announcement.pk}/edit/"
    assert announcement.attachments.count() == 0
    assert default_storage.exists(name) is False
    assert announcement.changes.last().action == AnnouncementAction.ATTACHMENT_REMOVED
