"""Every URL of the programs app × every role → the expected status."""

import pytest
from django.test import Client

from programs import services
from programs.enums import AnnouncementStatus
from programs.models import Announcement, AnnouncementAttachment, Call
from tests.factories.programs import AnnouncementFactory
from tests.permissions import expect_matrix
from tests.programs.files import pdf_bytes, upload

pytestmark = pytest.mark.django_db

EVERYONE_200 = {"anonymous": 200, "company": 200, "other_company": 200, "operator_gb": 200,
                "operator_jn": 200, "reviewer": 200, "staff": 200}
# Manage pages of a Gyeongbuk announcement: its region's operator and staff only.
GB_MANAGERS = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 200,
               "operator_jn": 404, "reviewer": 404, "staff": 200}
# Pages every operator and staff may open (lists, the create form).
ANY_MANAGER = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 200,
               "operator_jn": 200, "reviewer": 404, "staff": 200}
# A draft seen through a public URL: managers of its region only, 404 for everyone else.
GB_DRAFT_PUBLIC_URL = {"anonymous": 404, "company": 404, "other_company": 404,
                       "operator_gb": 200, "operator_jn": 404, "reviewer": 404, "staff": 200}


@pytest.fixture
def gb_published(demo):
    return Announcement.objects.get(call__code="2025-GB")


@pytest.fixture
def gb_draft(demo):
    return AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True,
                               title="경북 초안 공고")


@pytest.fixture
def jn_draft(demo):
    return AnnouncementFactory(call=Call.objects.get(code="2025-JN"), draft=True,
                               title="전남 초안 공고")


def attach(announcement, name="공고문.pdf"):
    return services.add_attachment(announcement, upload(name, pdf_bytes()), "application/pdf")


def test_public_list_and_feed_open_to_every_role(role_users):
    expect_matrix(role_users, "/announcements/", EVERYONE_200)
    expect_matrix(role_users, "/announcements/feed/", EVERYONE_200)
    expect_matrix(role_users, "/", EVERYONE_200)


def test_published_announcement_detail_open_to_every_role(role_users, gb_published):
    expect_matrix(role_users, f"/announcements/{gb_published.pk}/", EVERYONE_200)


def test_draft_announcement_detail_only_for_its_managers(role_users, gb_draft):
    expect_matrix(role_users, f"/announcements/{gb_draft.pk}/", GB_DRAFT_PUBLIC_URL)


def test_apply_sends_everyone_on_for_published_and_404_for_draft(role_users, gb_published,
                                                                 gb_draft):
    everyone_302 = dict.fromkeys(EVERYONE_200, 302)
    expect_matrix(role_users, f"/announcements/{gb_published.pk}/apply/", everyone_302)
    expect_matrix(role_users, f"/announcements/{gb_draft.pk}/apply/",
                  dict.fromkeys(EVERYONE_200, 404))


def test_attachment_download_of_published_open_and_of_draft_for_managers(
        role_users, gb_published, gb_draft):
    public = attach(gb_published)
    hidden = attach(gb_draft)
    expect_matrix(role_users, f"/announcements/{gb_published.pk}/attachments/{public.pk}/",
                  EVERYONE_200)
    expect_matrix(role_users, f"/announcements/{gb_draft.pk}/attachments/{hidden.pk}/",
                  GB_DRAFT_PUBLIC_URL)
    # An attachment is only found under its own announcement.
    expect_matrix(role_users, f"/announcements/{gb_published.pk}/attachments/{hidden.pk}/",
                  dict.fromkeys(EVERYONE_200, 404))


def test_manage_list_and_create_for_operators_and_staff(role_users):
    expect_matrix(role_users, "/manage/announcements/", ANY_MANAGER)
    expect_matrix(role_users, "/manage/announcements/new/", ANY_MANAGER)


def test_edit_and_preview_only_for_the_regions_operator_and_staff(role_users, gb_draft):
    expect_matrix(role_users, f"/manage/announcements/{gb_draft.pk}/edit/", GB_MANAGERS)
    expect_matrix(role_users, f"/manage/announcements/{gb_draft.pk}/preview/", GB_MANAGERS)


def test_nationwide_call_announcement_managed_by_staff_only(role_users, demo):
    cluster = Announcement.objects.get(call__code="2025-CL")
    staff_only = {"anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
                  "operator_jn": 404, "reviewer": 404, "staff": 200}
    expect_matrix(role_users, f"/manage/announcements/{cluster.pk}/edit/", staff_only)


def test_publish_only_for_the_regions_operator_and_staff(role_users, gb_draft):
    def back_to_draft():
        Announcement.objects.filter(pk=gb_draft.pk).update(
            status=AnnouncementStatus.DRAFT, published_at=None)

    expected = {**GB_MANAGERS, "operator_gb": 302, "staff": 302}
    expect_matrix(role_users, f"/manage/announcements/{gb_draft.pk}/publish/", expected,
                  method="post", setup=back_to_draft)


def test_unpublish_only_for_the_regions_operator_and_staff(role_users, gb_published):
    published_at = gb_published.published_at

    def republish():
        Announcement.objects.filter(pk=gb_published.pk).update(
            status=AnnouncementStatus.PUBLISHED, published_at=published_at)

    expected = {**GB_MANAGERS, "operator_gb": 302, "staff": 302}
    expect_matrix(role_users, f"/manage/announcements/{gb_published.pk}/unpublish/", expected,
                  method="post", setup=republish)


def test_attachment_delete_only_for_the_regions_operator_and_staff(role_users, gb_draft):
    attachment = attach(gb_draft)
    pk, file_name = attachment.pk, attachment.file.name

    def restore():
        AnnouncementAttachment.objects.get_or_create(pk=pk, defaults=dict(
            announcement=gb_draft, file=file_name, original_name="공고문.pdf",
            content_type="application/pdf", size=10))

    expected = {**GB_MANAGERS, "operator_gb": 302, "staff": 302}
    expect_matrix(role_users,
                  f"/manage/announcements/{gb_draft.pk}/attachments/{pk}/delete/",
                  expected, method="post", setup=restore)


def test_gyeongbuk_operator_gets_404_on_jeonnam_edit_and_cannot_publish_it(role_users,
                                                                          jn_draft):
    client = Client()
    client.force_login(role_users["operator_gb"])

    assert client.get(f"/manage/announcements/{jn_draft.pk}/edit/").status_code == 404
    assert client.get(f"/manage/announcements/{jn_draft.pk}/preview/").status_code == 404
    assert client.post(f"/manage/announcements/{jn_draft.pk}/publish/").status_code == 404

    jn_draft.refresh_from_db()
    assert (jn_draft.status, jn_draft.published_at) == (AnnouncementStatus.DRAFT, None)
    assert jn_draft.changes.count() == 0


def test_anonymous_visitor_gets_404_for_unpublished_announcement(jn_draft):
    assert Client().get(f"/announcements/{jn_draft.pk}/").status_code == 404


def test_anonymous_on_manage_pages_redirected_to_sign_in(gb_draft):
    response = Client().get(f"/manage/announcements/{gb_draft.pk}/edit/")
    assert (response.status_code, response["Location"]) == (
        302, f"/accounts/login/?next=/manage/announcements/{gb_draft.pk}/edit/")
