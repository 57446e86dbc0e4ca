"""Published results: staff publish a confirmed run once its notices are sent; everyone reads
the frozen figures (pages, feed); nobody else may publish."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from awards import services as awards_services
from awards.enums import NoticeStatus
from awards.models import AwardRun, Notice
from programs.enums import FundingSource
from programs.models import BudgetLine, Call
from results import services
from results.models import PublishedResult
from tests.factories.applications import CompanyFactory
from tests.factories.awards import close_call, reviewers, scored_application
from tests.permissions import expect_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeonbuk_run(demo, role_users, django_capture_on_commit_callbacks):
    """Jeonbuk's national line cut to 400,000,000: of three advanced applicants at 400,000,000
    two are selected and the third waitlisted; the run is confirmed and its notices sent."""
    call = close_call(Call.objects.get(code="2025-JB"))
    BudgetLine.objects.filter(call=call, source=FundingSource.NATIONAL).update(
        amount=400_000_000)
    panel = reviewers(1)
    applications = [
        scored_application(call.tracks.get(order=1), cost=400_000_000,
                           totals=(Decimal(91) - i,), panel=panel,
                           company=CompanyFactory(name=name, region=call.region))
        for i, name in enumerate(["한빛농식품", "새벽바이오", "들녘푸드"])]
    staff = role_users["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        run = awards_services.start_run(call, user=staff)
    with django_capture_on_commit_callbacks(execute=True):
        awards_services.confirm_run(AwardRun.objects.get(pk=run.pk), user=staff)
    return AwardRun.objects.get(pk=run.pk), applications


def test_published_result_freezes_the_run_per_track(jeonbuk_run, role_users):
    run, applications = jeonbuk_run
    result = services.publish(run, role_users["staff"], show_company_names=False)
    receipts = [a.receipt_number for a in applications]
    advanced, basic = result.data["tracks"]
    assert (advanced["applications"], advanced["selected"], advanced["waitlisted"]) == (
        3, [{"receipt_number": receipts[0]}, {"receipt_number": receipts[1]}],
        [{"receipt_number": receipts[2], "waitlist_position": 1}])
    assert (basic["applications"], basic["selected"], basic["waitlisted"]) == (0, [], [])
    assert result.data["cutoff_score"] == "70.00"
    assert result.data["budget"] == [
        {"source": "national", "amount": 400_000_000, "used": 400_000_000, "remaining": 0},
        {"source": "provincial", "amount": 2_350_000_000, "used": 160_000_000,
         "remaining": 2_190_000_000},
        {"source": "municipal", "amount": 2_350_000_000, "used": 0,
         "remaining": 2_350_000_000},
    ]
    page = Client().get(f"/results/{result.pk}/").content.decode()
    assert receipts[0] in page and "한빛농식품" not in page


def test_published_result_shows_company_names_when_the_call_says_so(jeonbuk_run, role_users):
    run, applications = jeonbuk_run
    client = Client()
    client.force_login(role_users["staff"])
    response = client.post(f"/manage/results/runs/{run.pk}/publish/", {"names": "on"})
    result = PublishedResult.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/results/{result.pk}/")
    assert result.data["tracks"][0]["selected"][0] == {
        "receipt_number": applications[0].receipt_number, "company": "한빛농식품"}
    assert "한빛농식품" in Client().get(f"/results/{result.pk}/").content.decode()


def test_publishing_before_every_notice_is_sent_is_refused(jeonbuk_run, role_users):
    run, _applications = jeonbuk_run
    Notice.objects.filter(run=run).update(status=NoticeStatus.QUEUED)
    with pytest.raises(ValidationError) as refused:
        services.publish(run, role_users["staff"], show_company_names=False)
    assert refused.value.messages == [
        "모든 통지서가 발송된 뒤에 결과를 공고할 수 있습니다. 현재 3건 중 0건이 발송되었습니다."]
    assert PublishedResult.objects.count() == 0


def test_publishing_twice_is_refused(jeonbuk_run, role_users):
    run, _applications = jeonbuk_run
    services.publish(run, role_users["staff"], show_company_names=False)
    client = Client()
    client.force_login(role_users["staff"])
    response = client.post(f"/manage/results/runs/{run.pk}/publish/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "이 선정 산정의 결과는 이미 공고되었습니다."]
    assert PublishedResult.objects.count() == 1


def test_results_pages_are_public_and_publishing_is_for_staff(jeonbuk_run, role_users):
    run, _applications = jeonbuk_run
    result = services.publish(run, role_users["staff"], show_company_names=False)
    everyone = dict.fromkeys(role_users, 200)
    expect_matrix(role_users, "/results/", everyone)
    expect_matrix(role_users, f"/results/{result.pk}/", everyone)
    staff_only = {**dict.fromkeys(role_users, 404), "anonymous": 302, "staff": 200}
    expect_matrix(role_users, "/manage/results/", staff_only)
    expect_matrix(role_users, f"/manage/results/runs/{run.pk}/publish/",
                  {**staff_only, "staff": 302}, method="post",
                  setup=lambda: PublishedResult.objects.all().delete())


def test_published_result_is_an_item_of_the_feed(jeonbuk_run, role_users):
    run, _applications = jeonbuk_run
    result = services.publish(run, role_users["staff"], show_company_names=False)
    feed = Client().get("/announcements/feed/").content.decode()
    assert f"/results/{result.pk}/" in feed
    assert "선정 결과: 2025년 전북특별자치도 지역특화 스마트공장 구축지원사업" in feed


def test_announcement_page_links_its_calls_published_results(jeonbuk_run, role_users):
    run, _applications = jeonbuk_run
    result = services.publish(run, role_users["staff"], show_company_names=False)
    fragment = Client().get(f"/results/calls/{run.call_id}/fragment/").content.decode()
    assert f'href="/results/{result.pk}/"' in fragment
    assert Client().get("/results/calls/999999/fragment/").content.decode().strip() == ""


@pytest.mark.parametrize("count", [1, 3])
def test_results_list_queries_constant(jeonbuk_run, role_users, django_assert_num_queries,
                                       count):
    run, _applications = jeonbuk_run
    result = services.publish(run, role_users["staff"], show_company_names=False)
    for _ in range(count - 1):
        PublishedResult.objects.create(call=result.call, run=AwardRun.objects.create(
            call=result.call, started_by=role_users["staff"]), data=result.data,
            published_by=role_users["staff"], published_at=result.published_at)
    # count; page of results with call and region
    with django_assert_num_queries(2):
        response = Client().get("/results/")
    assert len(response.context["results"]) == count
    with django_assert_num_queries(1):
        Client().get(f"/results/{result.pk}/")


@pytest.mark.parametrize("count", [1, 3])
def test_manage_results_queries_constant(jeonbuk_run, role_users, django_assert_num_queries,
                                         count):
    run, _applications = jeonbuk_run
    for _ in range(count - 1):
        AwardRun.objects.filter(pk=AwardRun.objects.create(
            call=run.call, started_by=role_users["staff"]).pk).update(
            status=run.status, confirmed_by=role_users["staff"], confirmed_at=run.confirmed_at,
            inputs_hash=run.inputs_hash)
    client = Client()
    client.force_login(role_users["staff"])
    # session, user, count, page of runs with their call, region, published result and counts
    with django_assert_num_queries(4):
        response = client.get("/manage/results/")
    assert len(response.context["runs"]) == count
