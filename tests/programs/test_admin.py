"""The Django admin used by ministry staff: validation, budget lines against the total,
list filters and search on every programs model."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from programs.enums import AnnouncementAction, AnnouncementStatus, FundingSource
from programs.models import Announcement, BudgetLine, Call, FundingShare, Programme, Region
from tests.factories.programs import AnnouncementFactory, TrackFactory

pytestmark = pytest.mark.django_db

WINDOW_ERROR = "접수 마감은 접수 시작보다 뒤여야 합니다."
CALL_INLINES = ["tracks", "budget_lines", "bonus_items", "linked_programmes", "events"]


@pytest.fixture
def staff(role_users):
    client = Client()
    client.force_login(role_users["staff"])
    return client


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}


def call_form(opens, closes, **overrides):
    data = {
        "programme": Programme.objects.get(code="regional-2025").pk,
        "region": Region.objects.get(code="GB").pk, "code": "2025-GB2",
        "title": "2025년 경북 추가 공모", "title_en": "", "sector": "식품제조업", "sector_en": "",
        "ksic_codes": '["C10"]', "opens_at_0": opens[0], "opens_at_1": opens[1],
        "closes_at_0": closes[0], "closes_at_1": closes[1], "total_budget": 1_000_000_000,
        "rounding_unit": 1000, "min_cash_share": "0.5", "cutoff_score": "70.00", **overrides,
    }
    for prefix in CALL_INLINES:
        data.update(management(prefix))
    return data


def track_form(track, rates):
    data = {"call": track.call_id, "kind": track.kind, "name": track.name, "name_en": "",
            "order": track.order, "target_count": 10, "max_project_cost": 100_000_000,
            "total_cap": "", "min_members": "", **management("shares", total=len(rates))}
    for i, (source, rate) in enumerate(rates):
        data.update({f"shares-{i}-source": source, f"shares-{i}-rate": rate,
                     f"shares-{i}-per_company_cap": "", f"shares-{i}-track": track.pk})
    return data


def test_call_window_ending_before_start_refused_by_admin_form(staff, demo):
    before = Call.objects.count()
    response = staff.post("/admin/programs/call/add/",
                          call_form(("2025-09-01", "09:00"), ("2025-08-01", "18:00")))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"closes_at": [WINDOW_ERROR]}
    assert Call.objects.count() == before


def test_call_window_ending_at_its_start_refused(staff, demo):
    response = staff.post("/admin/programs/call/add/",
                          call_form(("2025-09-01", "09:00"), ("2025-09-01", "09:00")))
    assert response.context["adminform"].form.errors == {"closes_at": [WINDOW_ERROR]}


def test_call_with_proper_window_saved_by_admin_form(staff, demo):
    response = staff.post("/admin/programs/call/add/",
                          call_form(("2025-09-01", "09:00"), ("2025-10-31", "18:00")))
    assert response.status_code == 302
    call = Call.objects.get(code="2025-GB2")
    assert (timezone.localtime(call.opens_at).isoformat(),
            timezone.localtime(call.closes_at).isoformat()) == (
        "2025-09-01T09:00:00+09:00", "2025-10-31T18:00:00+09:00")


def test_call_window_check_constraint_in_database(demo):
    call = Call.objects.get(code="2025-GB")
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=call.pk).update(closes_at=call.opens_at)


def test_track_shares_over_100_percent_refused_by_admin(staff, demo):
    track = TrackFactory(call=Call.objects.get(code="2025-GB"), order=9)
    response = staff.post(f"/admin/programs/track/{track.pk}/change/", track_form(track, [
        (FundingSource.NATIONAL, "0.50"), (FundingSource.PROVINCIAL, "0.30"),
        (FundingSource.MUNICIPAL, "0.25")]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "지원 분야의 재원별 지원 비율 합계가 105%입니다. 최대 100%까지 허용됩니다."]
    assert FundingShare.objects.filter(track=track).count() == 0


def test_track_shares_of_exactly_100_percent_saved(staff, demo):
    track = TrackFactory(call=Call.objects.get(code="2025-GB"), order=9)
    response = staff.post(f"/admin/programs/track/{track.pk}/change/", track_form(track, [
        (FundingSource.NATIONAL, "0.50"), (FundingSource.PROVINCIAL, "0.30"),
        (FundingSource.MUNICIPAL, "0.20")]))
    assert response.status_code == 302
    assert list(track.shares.values_list("source", "rate")) == [
        ("national", Decimal("0.5000")), ("provincial", Decimal("0.3000")),
        ("municipal", Decimal("0.2000"))]


def test_share_rate_above_one_refused_by_database(demo):
    track = TrackFactory(call=Call.objects.get(code="2025-GB"), order=9)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingShare.objects.create(track=track, source=FundingSource.NATIONAL,
                                    rate=Decimal("1.5"))


def test_call_change_page_shows_budget_lines_against_total(staff, demo):
    call = Call.objects.get(code="2025-JB")
    html = staff.get(f"/admin/programs/call/{call.pk}/change/").content.decode()
    assert "6,700,000,000원 중 6,700,000,000원" in html


def test_call_list_shows_difference_when_lines_do_not_cover_total(staff, demo):
    BudgetLine.objects.filter(call__code="2025-GB", source=FundingSource.MUNICIPAL).update(
        amount=600_000_000)
    response = staff.get("/admin/programs/call/")
    assert ("4,000,000,000원 중 3,600,000,000원 · 차액 400,000,000원"
            in response.content.decode())


@pytest.mark.parametrize("url", [
    "/admin/programs/call/?q=전북", "/admin/programs/call/?programme__id__exact=1",
    "/admin/programs/track/?q=기초&kind=basic", "/admin/programs/region/?q=경",
    "/admin/programs/programme/?year=2025", "/admin/programs/budgetline/?source=national",
    "/admin/programs/announcement/?status=published&q=공고",
    "/admin/programs/evaluationround/", "/admin/programs/documenttype/?q=사업",
    "/admin/programs/call/add/", "/admin/programs/track/add/",
])
def test_admin_pages_open_for_staff(staff, demo, url):
    assert staff.get(url).status_code == 200


def test_admin_call_search_finds_exact_call(staff, demo):
    response = staff.get("/admin/programs/call/?q=전북")
    assert [c.code for c in response.context["cl"].result_list] == ["2025-JB"]


def test_admin_call_change_page_has_every_inline(staff, demo):
    call = Call.objects.get(code="2025-JN")
    response = staff.get(f"/admin/programs/call/{call.pk}/change/")
    assert [f.formset.prefix for f in response.context["inline_admin_formsets"]] == (
        CALL_INLINES)
    tracks = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.name for form in tracks.forms] == [
        "고도화(품질검사 장비)", "기초(스마트 HACCP)", "제조 로봇·장비"]


def test_admin_publish_action_goes_through_the_service(staff, role_users, demo):
    draft = AnnouncementFactory(call=Call.objects.get(code="2025-GB"), draft=True)
    staff.post("/admin/programs/announcement/", {
        "action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == AnnouncementStatus.PUBLISHED
    assert list(draft.changes.values_list("action", "actor")) == [
        (AnnouncementAction.PUBLISHED, role_users["staff"].pk)]


def test_admin_announcement_edit_recorded(staff, role_users, demo):
    announcement = Announcement.objects.get(call__code="2025-GB")
    staff.post(f"/admin/programs/announcement/{announcement.pk}/change/", {
        "call": announcement.call_id, "title": "고친 공고", "title_en": "", "body": "본문",
        "body_en": "", **management("attachments"), **management("changes")})
    announcement.refresh_from_db()
    assert announcement.title == "고친 공고"
    assert list(announcement.changes.values_list("action", flat=True)) == [
        AnnouncementAction.EDITED]


def test_non_staff_cannot_open_admin(role_users, demo):
    client = Client()
    client.force_login(role_users["operator_gb"])
    response = client.get("/admin/programs/call/")
    assert (response.status_code, response["Location"]) == (
        302, "/admin/login/?next=/admin/programs/call/")
