"""The open API: public data only, a clear JSON error for every bad request, constant queries,
a cache emptied when public data changes, a rate limit."""

import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from applications.models import Application
from companies.models import Supplier
from programs import services as programs_services
from programs.models import Announcement, Call, Programme
from results.models import PublishedResult
from results.selectors import snapshot
from tests.factories.applications import SupplierFactory
from tests.factories.awards import AwardRunFactory, ResultLineFactory
from tests.factories.programs import (
    AnnouncementFactory,
    CallFactory,
    ProgrammeFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db
ENDPOINTS = ["programmes", "calls", "announcements", "suppliers", "results"]


def get(url, **headers):
    response = Client().get(url, headers=headers)
    return response, json.loads(response.content) if response.content else None


def test_every_list_answers_anonymous_with_public_data(demo):
    SupplierFactory(name="공개 공급기업", approved=True)
    counts = {name: get(f"/api/v1/{name}/")[1]["count"] for name in ENDPOINTS}
    assert counts == {"programmes": 2, "calls": 4, "announcements": 4, "suppliers": 1,
                      "results": 0}


def test_call_detail_has_tracks_shares_caps_and_budget_lines(demo):
    jeonnam = Call.objects.get(code="2025-JN")
    response, data = get(f"/api/v1/calls/{jeonnam.pk}/")
    assert response.status_code == 200
    assert (data["code"], data["region"]["code"], data["status"]) == ("2025-JN", "JN", "open")
    assert [(t["order"], t["target_count"], t["total_cap"]) for t in data["tracks"]] == [
        (1, 10, None), (2, 30, 70_000_000), (3, 5, 100_000_000)]
    assert data["tracks"][0]["shares"] == [
        {"source": "national", "rate": "0.5000", "per_company_cap": 200_000_000},
        {"source": "provincial", "rate": "0.1500", "per_company_cap": None},
        {"source": "municipal", "rate": "0.1500", "per_company_cap": None}]
    assert data["budget_lines"] == [
        {"source": "national", "amount": 2_000_000_000, "awarded": 0,
         "remaining": 2_000_000_000},
        {"source": "provincial", "amount": 1_875_000_000, "awarded": 0,
         "remaining": 1_875_000_000},
        {"source": "municipal", "amount": 1_875_000_000, "awarded": 0,
         "remaining": 1_875_000_000}]


SECRET = "비공개표식"


def private_objects():
    """One object of every kind that must never appear: a draft announcement on a public call,
    a call (and its programme) with no published announcement, an unapproved supplier."""
    demo_call = Call.objects.get(code="2025-JB")
    draft = AnnouncementFactory(call=demo_call, draft=True, title=f"{SECRET} 초안",
                                body=f"{SECRET} 본문")
    programme = ProgrammeFactory(code="secret-programme", name=f"{SECRET} 사업")
    hidden_call = CallFactory(programme=programme, code="2025-SECRET",
                              title=f"{SECRET} 공모", sector=f"{SECRET} 업종")
    TrackFactory(call=hidden_call, name=f"{SECRET} 트랙")
    AnnouncementFactory(call=hidden_call, draft=True, title=f"{SECRET} 준비 중")
    supplier = SupplierFactory(name=f"{SECRET} 공급기업", approved=False)
    # A published result of a call that does not publish company names.
    run = AwardRunFactory(call=demo_call)
    line = ResultLineFactory(run=run, application__call=demo_call,
                             application__track=demo_call.tracks.first(),
                             application__company__name=f"{SECRET} 기업")
    PublishedResult.objects.create(call=demo_call, run=run, published_by=run.started_by,
                                   data=snapshot(run, show_company_names=False),
                                   published_at=timezone.now())
    # A result published for the call that has no published announcement.
    hidden_run = AwardRunFactory(call=hidden_call)
    hidden_result = PublishedResult.objects.create(
        call=hidden_call, run=hidden_run, published_by=run.started_by,
        data={"cutoff_score": "70.00", "tracks": [], "budget": []},
        published_at=timezone.now())
    assert line.application.receipt_number
    return {"announcements": draft.pk, "calls": hidden_call.pk, "programmes": programme.pk,
            "suppliers": supplier.pk, "results": hidden_result.pk}


def walk(url, seen):
    """Every page of a list and every object on it, as an anonymous client."""
    bodies = []
    while url:
        response, data = get(url)
        assert response.status_code == 200, url
        bodies.append(response.content.decode())
        for item in data["results"]:
            detail = f"{url.split('?')[0]}{item['id']}/"
            if detail not in seen:
                seen.add(detail)
                response = Client().get(detail)
                assert response.status_code == 200, detail
                bodies.append(response.content.decode())
        url = data["next"]
    return bodies


def test_no_field_of_a_non_public_object_appears_anywhere(demo, role_users):
    hidden = private_objects()
    schema = get("/api/v1/schema/?format=json")[1]
    lists = sorted(path for path in schema["paths"] if "{" not in path)
    assert lists == [f"/api/v1/{name}/" for name in sorted(ENDPOINTS)]
    seen, bodies = set(), []
    for path in lists:
        bodies += walk(f"{path}?page_size=2", seen)
    assert [body for body in bodies if SECRET in body] == []
    receipt = Application.objects.get(company__name__startswith=SECRET).receipt_number
    assert len([body for body in bodies if receipt in body]) == 2  # the results list, detail
    assert [name for name, pk in hidden.items()
            if get(f"/api/v1/{name}/{pk}/")[0].status_code != 404] == []
    assert Supplier.objects.filter(name__contains=SECRET).count() == 1  # it does exist


def paginator_says(message):
    """Django's own words for a page that does not exist, in Korean (as the catalogues have
    them)."""
    with translation.override("ko"):
        return translation.gettext(message)


NOT_FOUND = "찾을 수 없습니다: 이 id의 공개된 객체가 없습니다."


@pytest.mark.parametrize(("url", "detail"), [
    ("/api/v1/announcements/?page=1000000000",
     ("1000000000", "That page contains no results")),
    ("/api/v1/announcements/?page=-1", ("-1", "That page number is less than 1")),
    ("/api/v1/announcements/?page=abc", ("abc", "That page number is not an integer")),
    ("/api/v1/calls/abc/", NOT_FOUND),
    ("/api/v1/calls/-3/", NOT_FOUND),
    ("/api/v1/calls/99999999999999999999999/", NOT_FOUND),
    ("/api/v1/nothing/",
     "이 주소에는 엔드포인트가 없습니다. API의 엔드포인트는 스키마(/api/v1/schema/)에 있습니다."),
])
def test_bad_requests_get_a_clear_json_error(demo, url, detail):
    if isinstance(detail, tuple):
        page, reason = detail
        detail = f"“{page}” 페이지가 없습니다: {paginator_says(reason)}"
    response, data = get(url)
    assert (response.status_code, response["Content-Type"], data) == (
        404, "application/json", {"detail": detail, "status": 404})


def test_bad_filter_value_is_a_400_naming_the_field(demo):
    response, data = get("/api/v1/calls/?region=XX&status=soon")
    assert (response.status_code, data) == (400, {
        "region": ["올바르게 선택해 주세요. 선택하신 것이 선택가능항목에 없습니다."],
        "status": ["올바르게 선택해 주세요. soon 이/가 선택가능항목에 없습니다."]})


def test_writes_are_refused_with_a_json_405(demo):
    response = Client().post("/api/v1/calls/", {"code": "x"})
    assert (response.status_code, json.loads(response.content)) == (
        405, {"detail": "공개 API는 읽기 전용입니다. GET, HEAD, OPTIONS만 쓸 수 있습니다.",
              "status": 405})


@pytest.mark.parametrize("endpoint", ["announcements", "calls"])
@pytest.mark.parametrize("count", [1, 6])
def test_lists_queries_constant(db, django_assert_num_queries, settings, endpoint, count):
    settings.API_CACHE_SECONDS = 0
    for _ in range(count):
        call = CallFactory()
        for order in (1, 2):
            TrackFactory(call=call, order=order)
        AnnouncementFactory(call=call)
    # announcements: count, page, attachments; calls: count, page (with programme and
    # region), tracks, shares, budget lines, events, awarded
    expected = {"announcements": 3, "calls": 7}[endpoint]
    with django_assert_num_queries(expected):
        response, data = get(f"/api/v1/{endpoint}/")
    assert (response.status_code, len(data["results"])) == (200, count)


def test_answers_are_cached_until_public_data_changes(demo, django_assert_num_queries):
    first = get("/api/v1/announcements/")[1]
    with django_assert_num_queries(0):
        assert get("/api/v1/announcements/")[1] == first
    draft = AnnouncementFactory(call=Call.objects.get(code="2025-JB"), draft=True)
    programs_services.publish_announcement(draft)
    assert get("/api/v1/announcements/")[1]["count"] == first["count"] + 1


def test_cache_keeps_languages_apart(demo):
    korean = get("/api/v1/calls/?page_size=1", **{"Accept-Language": "ko"})[0]
    assert korean["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in [value.strip() for value in korean["Vary"].split(",")]


def test_rate_limit_answers_429_in_json(demo, settings, monkeypatch):
    settings.API_RATE_LIMIT = "3/m"
    settings.API_CACHE_SECONDS = 0
    # The clock stands still, 17 s before the address's window ends.
    monkeypatch.setattr("django_ratelimit.core.time.time", lambda: 1_800_000_000.0)
    monkeypatch.setattr("django_ratelimit.core._get_window",
                        lambda value, period: 1_800_000_017)
    statuses = [get("/api/v1/programmes/")[0].status_code for _ in range(3)]
    response, data = get("/api/v1/programmes/")
    assert statuses == [200, 200, 200]
    assert (response.status_code, response["Retry-After"]) == (429, "17")
    assert data == {"detail": "요청이 너무 많습니다. 17초 뒤에 다시 시도해 주세요.",
                    "status": 429}


def test_programmes_are_only_those_with_a_public_call(demo):
    ProgrammeFactory(code="empty-programme", name="빈 사업")
    data = get("/api/v1/programmes/")[1]
    assert sorted(p["code"] for p in data["results"]) == ["cluster-2025", "regional-2025"]
    assert Programme.objects.count() == 3


def test_announcements_filtered_as_the_list(demo):
    data = get("/api/v1/announcements/?region=JB")[1]
    assert [a["call_code"] for a in data["results"]] == ["2025-JB"]
    assert data["results"][0]["url"] == (
        f"http://testserver/announcements/"
        f"{Announcement.objects.get(call__code='2025-JB').pk}/")


def test_call_representation_written_out_equals_the_serializers_fields(demo):
    from rest_framework import serializers as drf
    from rest_framework.test import APIRequestFactory

    from api import selectors
    from api.serializers import CallSerializer

    request = APIRequestFactory().get("/api/v1/calls/")
    calls = list(selectors.public_calls())
    awarded = {calls[0].pk: {"national": 1_000, "provincial": 0, "municipal": 0}}
    details = selectors.call_details(call.pk for call in calls)
    serializer = CallSerializer(context={"request": request, "awarded": awarded,
                                         "details": details})
    written = [serializer.to_representation(call) for call in calls]
    generic = [drf.ModelSerializer.to_representation(serializer, call) for call in calls]
    assert json.loads(json.dumps(written)) == json.loads(json.dumps(generic))
    assert written[0]["budget_lines"][0]["awarded"] == 1_000


def test_every_endpoint_answers_every_role_alike(demo, role_users):
    from tests.permissions import expect_matrix

    for name in ENDPOINTS:
        expect_matrix(role_users, f"/api/v1/{name}/", dict.fromkeys(role_users, 200))
    expect_matrix(role_users, "/api/v1/docs/", dict.fromkeys(role_users, 200))


@pytest.mark.parametrize("endpoint", ["programmes", "suppliers", "results"])
@pytest.mark.parametrize("count", [1, 4])
def test_other_lists_and_details_queries_constant(db, django_assert_num_queries, settings,
                                                  role_users, endpoint, count):
    from results.models import PublishedResult
    from tests.factories.awards import AwardRunFactory

    settings.API_CACHE_SECONDS = 0
    for _ in range(count):
        call = CallFactory()
        AnnouncementFactory(call=call)
        SupplierFactory(approved=True)
        PublishedResult.objects.create(
            call=call, run=AwardRunFactory(call=call),
            data={"cutoff_score": "70.00", "tracks": [], "budget": []},
            published_by=role_users["staff"], published_at=call.opens_at)
    from api import selectors

    public = {"programmes": selectors.public_programmes,
              "suppliers": selectors.public_supplier_pool,
              "results": selectors.public_results}[endpoint]().count()
    with django_assert_num_queries(2):  # count, page
        response, data = get(f"/api/v1/{endpoint}/")
    assert (response.status_code, len(data["results"])) == (200, public)
    with django_assert_num_queries(1):
        response, _data = get(f"/api/v1/{endpoint}/{data['results'][0]['id']}/")
    assert response.status_code == 200


def test_rate_limit_counts_each_address_on_its_own(demo, settings):
    settings.API_RATE_LIMIT = "2/m"
    settings.API_CACHE_SECONDS = 0
    first = [Client(REMOTE_ADDR="10.0.0.1").get("/api/v1/programmes/").status_code
             for _ in range(3)]
    other = Client(REMOTE_ADDR="10.0.0.2").get("/api/v1/programmes/").status_code
    assert (first, other) == ([200, 200, 429], 200)


def test_rate_limit_counts_only_answers_computed_not_those_from_the_cache(demo, settings):
    settings.API_RATE_LIMIT = "2/m"
    cached = [get("/api/v1/programmes/")[0].status_code for _ in range(5)]
    computed = [get(f"/api/v1/programmes/?page_size={n}")[0].status_code for n in (1, 2)]
    assert (cached, computed) == ([200] * 5, [200, 429])
