"""Saved searches: saving the list's filters, one email per matching announcement (idempotent),
the weekly digest, and the one-click unsubscribe link (tampered or replayed)."""

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.enums import Frequency
from alerts.matching import matches
from alerts.models import AlertDelivery, Digest, SavedSearch
from alerts.tokens import make_token, search_id
from programs import services as programs_services
from programs.filters import AnnouncementFilter
from programs.models import Announcement, Call
from tests.factories.portal import UserFactory
from tests.factories.programs import AnnouncementFactory
from tests.permissions import expect_matrix

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def jeonbuk_draft():
    return AnnouncementFactory(call=Call.objects.get(code="2025-JB"), draft=True,
                               title="전북 추가 공고")


def test_alert_saved_from_the_list_filters(demo):
    user = UserFactory(email="visitor@example.test")
    client = signed_in(user)
    page = client.get("/alerts/new/?region=JB&status=open&page=3")
    assert page.status_code == 200
    assert page.context["form"].description == [("지역", "전북특별자치도"),
                                                 ("상태", "접수 중")]
    assert page.context["form"]["name"].value() == "전북특별자치도 · 접수 중"
    response = client.post("/alerts/new/", {"name": "전북 공고", "frequency": "immediate",
                                            "region": "JB", "status": "open"})
    assert (response.status_code, response["Location"]) == (302, "/alerts/")
    search = SavedSearch.objects.get()
    assert (search.user, search.name, search.filters, search.frequency) == (
        user, "전북 공고", {"region": "JB", "status": "open"}, Frequency.IMMEDIATE)


def test_alert_with_filters_the_list_does_not_offer_is_refused_with_a_message(demo):
    client = signed_in(UserFactory(email="visitor@example.test"))
    response = client.post("/alerts/new/", {"name": "이상한 필터", "frequency": "weekly",
                                            "region": "XX"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "공고 목록에 없는 필터입니다(지역). 목록으로 돌아가 다시 선택해 주세요."]
    assert response.context["form"]["name"].value() == "이상한 필터"
    assert SavedSearch.objects.count() == 0


def test_alert_page_asks_a_visitor_to_sign_in_keeping_the_filters(demo):
    response = Client().get("/alerts/new/?region=JB")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/alerts/new/%3Fregion%3DJB"


def test_publishing_a_matching_announcement_emails_once_with_list_unsubscribe(
        demo, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://portal.test"
    user = UserFactory(email="visitor@example.test")
    jeonbuk = services.save_search(user, name="전북", filters={"region": "JB"},
                                   frequency=Frequency.IMMEDIATE)
    services.save_search(user, name="경북", filters={"region": "GB"},
                         frequency=Frequency.IMMEDIATE)
    services.save_search(user, name="주간", filters={"region": "JB"},
                         frequency=Frequency.WEEKLY)
    announcement = jeonbuk_draft()
    with django_capture_on_commit_callbacks(execute=True):
        programs_services.publish_announcement(announcement)
    (email,) = mail.outbox
    assert (email.to, email.subject) == (["visitor@example.test"], "새 공고: 전북 추가 공고")
    url = re.search(r"https://portal\.test/alerts/unsubscribe/(\S+)/", email.body)
    assert search_id(url.group(1)) == jeonbuk.pk
    url = url.group(0)
    assert (email.extra_headers["List-Unsubscribe"],
            email.extra_headers["List-Unsubscribe-Post"]) == (f"<{url}>",
                                                              "List-Unsubscribe=One-Click")
    # The task again (a redelivery), and an edit of the published announcement: no email.
    assert services.send_alerts(announcement.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        announcement.title = "전북 추가 공고(수정)"
        announcement.save()
    assert (len(mail.outbox), AlertDelivery.objects.count()) == (1, 1)


def test_unpublished_and_published_again_is_not_emailed_twice(
        demo, django_capture_on_commit_callbacks):
    user = UserFactory(email="visitor@example.test")
    services.save_search(user, name="전북", filters={"region": "JB"},
                         frequency=Frequency.IMMEDIATE)
    announcement = jeonbuk_draft()
    with django_capture_on_commit_callbacks(execute=True):
        programs_services.publish_announcement(announcement)
    programs_services.unpublish_announcement(announcement)
    with django_capture_on_commit_callbacks(execute=True):
        programs_services.publish_announcement(announcement)
    assert len(mail.outbox) == 1


def test_unsubscribed_search_gets_no_email(demo, django_capture_on_commit_callbacks):
    search = services.save_search(UserFactory(email="v@example.test"), name="전북",
                                  filters={"region": "JB"}, frequency=Frequency.IMMEDIATE)
    services.unsubscribe(search)
    with django_capture_on_commit_callbacks(execute=True):
        programs_services.publish_announcement(jeonbuk_draft())
    assert len(mail.outbox) == 0


def test_weekly_digest_is_one_email_a_week_with_what_was_not_sent(
        demo, django_capture_on_commit_callbacks):
    user = UserFactory(email="weekly@example.test")
    search = services.save_search(user, name="전북 주간", filters={"region": "JB"},
                                  frequency=Frequency.WEEKLY)
    first = jeonbuk_draft()
    second = AnnouncementFactory(call=Call.objects.get(code="2025-JB"), title="전북 두 번째")
    programs_services.publish_announcement(first)
    Announcement.objects.filter(pk=second.pk).update(
        published_at=timezone.now() - timedelta(days=8))  # before this week's window
    # The demo publishes its Jeonbuk announcement when the window opened, 7 days ago at 09:00
    # Korea time: inside the last 7 days only before 09:00. Held inside it, a day ago.
    jb_demo = Announcement.objects.get(call__code="2025-JB", title__startswith="2025")
    Announcement.objects.filter(pk=jb_demo.pk).update(
        published_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_weekly_digests() == 1
        assert services.send_weekly_digests() == 0
    (email,) = mail.outbox
    assert email.subject == "이번 주 “전북 주간”에 맞는 새 공고 2건"
    delivered = set(AlertDelivery.objects.filter(search=search)
                    .values_list("announcement_id", flat=True))
    assert delivered == {first.pk, jb_demo.pk}
    assert Digest.objects.filter(search=search).count() == 1


def test_unsubscribe_link_works_without_login_once_and_says_so_when_replayed(demo):
    search = services.save_search(UserFactory(email="v@example.test"), name="전북 공고",
                                  filters={"region": "JB"}, frequency=Frequency.IMMEDIATE)
    url = f"/alerts/unsubscribe/{make_token(search)}/"
    page = Client().get(url)
    assert (page.status_code, page.context["state"]) == (200, "ask")
    search.refresh_from_db()
    assert search.unsubscribed_at is None  # opening the link changes nothing
    done = Client().post(url)
    assert (done.status_code, done.context["state"]) == (200, "unsubscribed")
    search.refresh_from_db()
    stopped_at = search.unsubscribed_at
    again = Client().post(url)
    assert (again.status_code, again.context["state"]) == (200, "done")
    search.refresh_from_db()
    assert search.unsubscribed_at == stopped_at
    assert "전북 공고" in again.content.decode()


def test_unsubscribe_link_tampered_is_refused_with_a_clear_page(demo):
    search = services.save_search(UserFactory(email="v@example.test"), name="전북",
                                  filters={"region": "JB"}, frequency=Frequency.IMMEDIATE)
    token = make_token(search)
    other = services.save_search(UserFactory(email="w@example.test"), name="다른 사람",
                                 filters={}, frequency=Frequency.IMMEDIATE)
    signature = token.rsplit(":", 1)[1]
    forged = signing.b64_encode(f'{{"s":{other.pk}}}'.encode()).decode() + ":" + signature
    for bad in (token[:-2] + "xx", forged, "nonsense", token + "A"):
        response = Client().post(f"/alerts/unsubscribe/{bad}/")
        assert (response.status_code, response.context["state"]) == (400, "bad")
    assert SavedSearch.objects.filter(unsubscribed_at__isnull=False).count() == 0
    assert "링크가 손상되었거나" in Client().get("/alerts/unsubscribe/x/").content.decode()


def test_unsubscribe_link_of_a_deleted_alert_says_it_is_gone(demo):
    search = services.save_search(UserFactory(email="v@example.test"), name="전북",
                                  filters={}, frequency=Frequency.IMMEDIATE)
    token = make_token(search)
    search.delete()
    response = Client().post(f"/alerts/unsubscribe/{token}/")
    assert (response.status_code, response.context["state"]) == (200, "gone")


def test_alerts_listed_and_deleted_by_their_owner_only(demo):
    owner = UserFactory(email="owner@example.test")
    search = services.save_search(owner, name="내 알림", filters={"region": "JB"},
                                  frequency=Frequency.IMMEDIATE)
    other = signed_in(UserFactory(email="other@example.test"))
    assert other.post(f"/alerts/{search.pk}/delete/").status_code == 404
    assert list(other.get("/alerts/").context["searches"]) == []
    client = signed_in(owner)
    assert list(client.get("/alerts/").context["searches"]) == [search]
    assert "내 알림" in client.get("/dashboard/").content.decode()
    assert client.post(f"/alerts/{search.pk}/delete/").status_code == 302
    assert SavedSearch.objects.count() == 0


@pytest.mark.parametrize("count", [1, 4])
def test_alert_list_queries_constant(demo, django_assert_num_queries, count):
    user = UserFactory(email="owner@example.test")
    for n in range(count):
        services.save_search(user, name=f"알림 {n}", filters={"region": "JB"},
                             frequency=Frequency.IMMEDIATE)
    client = signed_in(user)
    # session, user, count, page
    with django_assert_num_queries(4):
        response = client.get("/alerts/")
    assert len(response.context["searches"]) == count


FILTER_CASES = [
    {}, {"region": "JB"}, {"region": "GB"}, {"sector": "식품제조업"}, {"sector": "농생명바이오"},
    {"programme": "cluster-2025"}, {"programme": "regional-2025", "region": "JN"},
    {"status": "open"}, {"status": "closed"}, {"q": "전북"}, {"q": "HACCP"}, {"q": "haccp"},
    {"q": "Jeonnam"}, {"q": "클러스터"}, {"q": "없는말"}, {"region": "JB", "q": "바이오"},
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=str)
def test_matching_agrees_with_the_announcement_list(demo, filters):
    expected = set(AnnouncementFilter(filters, queryset=Announcement.objects.published())
                   .qs.values_list("pk", flat=True))
    found = {a.pk for a in Announcement.objects.published().select_related(
        "call__region", "call__programme") if matches(filters, a)}
    assert found == expected


def test_alert_pages_permission_matrix(role_users):
    search = services.save_search(role_users["company"], name="전북", filters={"region": "JB"},
                                  frequency=Frequency.IMMEDIATE)
    signed_in_only = {**dict.fromkeys(role_users, 200), "anonymous": 302}
    expect_matrix(role_users, "/alerts/", signed_in_only)
    expect_matrix(role_users, "/alerts/new/?region=JB", signed_in_only)
    expect_matrix(role_users, f"/alerts/unsubscribe/{make_token(search)}/",
                  dict.fromkeys(role_users, 200))
    owner_only = {**dict.fromkeys(role_users, 404), "anonymous": 302, "company": 302}
    expect_matrix(role_users, f"/alerts/{search.pk}/delete/", owner_only, method="post",
                  setup=lambda: SavedSearch.objects.get_or_create(
                      pk=search.pk, defaults={"user": role_users["company"], "name": "전북"}))


@pytest.mark.parametrize("count", [1, 3])
def test_unsubscribe_and_create_pages_queries_constant(demo, django_assert_num_queries, count):
    user = UserFactory(email="owner@example.test")
    searches = [services.save_search(user, name=f"알림 {n}", filters={"region": "JB"},
                                     frequency=Frequency.IMMEDIATE) for n in range(count)]
    # the saved search; the region and the sectors of the filter form that describes it
    with django_assert_num_queries(3):
        Client().get(f"/alerts/unsubscribe/{make_token(searches[-1])}/")
    client = signed_in(user)
    # session, user, region by code, sectors
    with django_assert_num_queries(4):
        client.get("/alerts/new/?region=JB&status=open")
