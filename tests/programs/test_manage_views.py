"""Operators and staff create, edit, preview, publish and unpublish announcements."""

import pytest
from django import forms
from django.test import Client
from django.utils import translation

from programs.enums import AnnouncementAction, AnnouncementStatus
from programs.models import Announcement, Call
from tests.factories.programs import AnnouncementFactory

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "운영하는 공모 중에서 선택하십시오. 다른 공모의 공고는 해당 운영기관이 작성합니다."


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(call, **overrides):
    return {"call": call.pk, "title": "2025년 경북 식품 스마트공장 추가 공고",
            "title_en": "Additional call", "body": "## 개요\n\n추가 모집합니다.",
            "body_en": "", **overrides}


def test_create_form_offers_operator_only_its_regions_calls(role_users, demo):
    response = client_for(role_users["operator_gb"]).get("/manage/announcements/new/")
    choices = [label for value, label in response.context["form"].fields["call"].choices
               if value]
    assert choices == ["2025년 경상북도 지역특화 스마트공장 구축지원사업"]


def test_create_form_offers_staff_every_call(role_users, demo):
    response = client_for(role_users["staff"]).get("/manage/announcements/new/")
    codes = sorted(Call.objects.get(pk=value.value).code
                   for value, label in response.context["form"].fields["call"].choices if value)
    assert codes == ["2025-CL", "2025-GB", "2025-JB", "2025-JN"]


def test_operator_creates_draft_for_its_call_and_lands_on_preview(role_users, demo):
    operator = role_users["operator_gb"]
    gb = Call.objects.get(code="2025-GB")
    response = client_for(operator).post("/manage/announcements/new/", form_data(gb))

    announcement = Announcement.objects.get(title="2025년 경북 식품 스마트공장 추가 공고")
    assert response.status_code == 302
    assert response["Location"] == f"/manage/announcements/{announcement.pk}/preview/"
    assert (announcement.call, announcement.status, announcement.published_at,
            announcement.created_by) == (gb, AnnouncementStatus.DRAFT, None, operator)
    assert list(announcement.changes.values_list("action", "actor")) == [
        (AnnouncementAction.CREATED, operator.pk)]


def test_operator_post_with_another_regions_call_refused_and_nothing_saved(role_users, demo):
    jn = Call.objects.get(code="2025-JN")
    before = Announcement.objects.count()
    response = client_for(role_users["operator_gb"]).post("/manage/announcements/new/",
                                                          form_data(jn))
    assert response.status_code == 200
    assert response.context["form"].errors == {"call": [INVALID_CHOICE]}
    assert Announcement.objects.count() == before
    # What was typed stays in the form.
    assert response.context["form"]["title"].value() == "2025년 경북 식품 스마트공장 추가 공고"
    assert response.context["form"]["body"].value() == "## 개요\n\n추가 모집합니다."


def test_operator_cannot_move_its_announcement_to_another_regions_call(role_users, demo):
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True)
    jn = Call.objects.get(code="2025-JN")
    response = client_for(role_users["operator_gb"]).post(
        f"/manage/announcements/{announcement.pk}/edit/", form_data(jn))
    assert response.context["form"].errors == {"call": [INVALID_CHOICE]}
    announcement.refresh_from_db()
    assert announcement.call.code == "2025-GB"


def test_staff_creates_announcement_for_any_call(role_users, demo):
    client = client_for(role_users["staff"])
    for code in ("2025-JN", "2025-CL"):
        call = Call.objects.get(code=code)
        response = client.post("/manage/announcements/new/",
                               form_data(call, title=f"{code} 추가 공고"))
        assert response.status_code == 302
        assert Announcement.objects.get(title=f"{code} 추가 공고").call == call


def test_missing_title_and_body_get_translated_errors_and_keep_input(role_users, demo):
    gb = Call.objects.get(code="2025-GB")
    response = client_for(role_users["operator_gb"]).post(
        "/manage/announcements/new/", form_data(gb, title="", body="", title_en="Kept"))
    # The site's one "required" message, in Korean (whichever catalogue words it).
    with translation.override("ko"):
        required = str(forms.Field.default_error_messages["required"])
    assert required.endswith("항목입니다.")
    assert response.context["form"].errors == {"title": [required], "body": [required]}
    assert response.context["form"]["title_en"].value() == "Kept"


def test_operator_edits_its_announcement(role_users, demo):
    operator = role_users["operator_gb"]
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True)
    response = client_for(operator).post(
        f"/manage/announcements/{announcement.pk}/edit/",
        form_data(announcement.call, title="고친 제목", body="고친 본문"))
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert (announcement.title, announcement.body) == ("고친 제목", "고친 본문")
    assert list(announcement.changes.values_list("action", flat=True)) == [
        AnnouncementAction.EDITED]


def test_edit_form_shows_current_values(role_users, demo):
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True,
                                       title="현재 제목")
    response = client_for(role_users["staff"]).get(
        f"/manage/announcements/{announcement.pk}/edit/")
    assert response.context["form"]["title"].value() == "현재 제목"


def test_preview_shows_draft_with_publish_button(role_users, demo):
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True,
                                       title="미리보기 공고", body="**굵게**")
    response = client_for(role_users["operator_gb"]).get(
        f"/manage/announcements/{announcement.pk}/preview/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "미리보기: 이 공고는 아직 공개되지 않았습니다." in html
    assert f'action="/manage/announcements/{announcement.pk}/publish/"' in html
    assert "<strong>굵게</strong>" in html
    assert 'id="apply-button"' not in html


def test_publish_then_unpublish_moves_announcement_in_and_out_of_public_list(role_users, demo):
    operator = role_users["operator_gb"]
    client = client_for(operator)
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True,
                                       title="공개 전환 공고")

    response = client.post(f"/manage/announcements/{announcement.pk}/publish/")
    assert response["Location"] == f"/manage/announcements/{announcement.pk}/preview/"
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.PUBLISHED
    assert announcement.published_at is not None
    public = Client()
    assert "공개 전환 공고" in public.get("/announcements/").content.decode()
    assert public.get(f"/announcements/{announcement.pk}/").status_code == 200

    client.post(f"/manage/announcements/{announcement.pk}/unpublish/")
    announcement.refresh_from_db()
    assert (announcement.status, announcement.published_at) == (AnnouncementStatus.DRAFT, None)
    assert "공개 전환 공고" not in public.get("/announcements/").content.decode()
    assert public.get(f"/announcements/{announcement.pk}/").status_code == 404
    assert list(announcement.changes.values_list("action", "actor")) == [
        (AnnouncementAction.PUBLISHED, operator.pk),
        (AnnouncementAction.UNPUBLISHED, operator.pk),
    ]


def test_publishing_twice_keeps_first_publication_date(role_users, demo):
    client = client_for(role_users["staff"])
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-JN"), draft=True)
    client.post(f"/manage/announcements/{announcement.pk}/publish/")
    announcement.refresh_from_db()
    first = announcement.published_at
    client.post(f"/manage/announcements/{announcement.pk}/publish/")
    announcement.refresh_from_db()
    assert announcement.published_at == first
    assert announcement.changes.count() == 1


def test_publish_by_get_not_allowed(role_users, demo):
    announcement = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True)
    response = client_for(role_users["staff"]).get(
        f"/manage/announcements/{announcement.pk}/publish/")
    assert response.status_code == 405
    announcement.refresh_from_db()
    assert announcement.status == AnnouncementStatus.DRAFT


def test_manage_list_shows_operator_only_its_regions_announcements(role_users, demo):
    AnnouncementFactory(call=Call.objects.get(code="2025-JN"), draft=True, title="전남 초안")
    response = client_for(role_users["operator_gb"]).get("/manage/announcements/")
    assert [a.call.code for a in response.context["announcements"]] == ["2025-GB"]


def test_manage_list_shows_staff_every_announcement(role_users, demo):
    response = client_for(role_users["staff"]).get("/manage/announcements/")
    assert sorted(a.call.code for a in response.context["announcements"]) == [
        "2025-CL", "2025-GB", "2025-JB", "2025-JN"]
