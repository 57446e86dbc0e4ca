"""Staff pages, the HTMX partials, the budget dashboard and the company's notices: who may see
what (every URL × every role), what they show, and how many queries they take."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.models import Application
from awards import dashboard, selectors, services
from awards.enums import Outcome, RunStatus
from awards.models import AwardRun, Notice
from programs.models import Call
from tests.awards.conftest import NAT
from tests.factories.awards import (
    AwardRunFactory,
    ResultLineFactory,
    close_call,
    scored_application,
)
from tests.factories.programs import TrackFactory
from tests.permissions import expect_matrix


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def gyeongbuk(demo, panel):
    """The Gyeongbuk call, closed, with two scored advanced applications."""
    call = close_call(Call.objects.get(code="2025-GB"))
    advanced = call.tracks.get(order=1)
    applications = [scored_application(advanced, cost=300_000_000, totals=(Decimal(88) - i,),
                                       panel=panel) for i in range(2)]
    return call, applications


@pytest.fixture
def preview(gyeongbuk, role_users, django_capture_on_commit_callbacks):
    call, applications = gyeongbuk
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=role_users["staff"])
    run.refresh_from_db()
    return run


# --- Permission matrices: every URL, every role


def test_award_calls_page_matrix(role_users):
    expect_matrix(role_users, "/manage/awards/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 200,
        "operator_jn": 200, "reviewer": 404, "staff": 200})


def test_call_runs_page_matrix(gyeongbuk, role_users):
    call, _applications = gyeongbuk
    expect_matrix(role_users, f"/manage/awards/calls/{call.pk}/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 200})


def test_start_run_matrix(gyeongbuk, role_users):
    call, _applications = gyeongbuk
    expect_matrix(role_users, f"/manage/awards/calls/{call.pk}/start/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 302}, method="post")
    assert AwardRun.objects.filter(call=call).count() == 1
    # GET is not allowed, and says so only to those who may post.
    expect_matrix(role_users, f"/manage/awards/calls/{call.pk}/start/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 405})


def test_budget_dashboard_matrix_staff_and_that_regions_operator(gyeongbuk, role_users):
    call, _applications = gyeongbuk
    expect_matrix(role_users, f"/manage/awards/calls/{call.pk}/budget/", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 200,
        "operator_jn": 404, "reviewer": 404, "staff": 200})


@pytest.mark.parametrize("suffix", ["", "status/", "notices/progress/"])
def test_run_pages_matrix_staff_only(preview, role_users, suffix):
    expect_matrix(role_users, f"/manage/awards/runs/{preview.pk}/{suffix}", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 200})


@pytest.mark.parametrize("suffix", ["confirm/", "requeue/", "notices/send/"])
def test_run_actions_matrix_staff_only(preview, role_users, suffix):
    expect_matrix(role_users, f"/manage/awards/runs/{preview.pk}/{suffix}", {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404,
        # Sending notices of a run not confirmed is not a thing: 404.
        "staff": 404 if suffix == "notices/send/" else 302}, method="post")


def test_unknown_run_and_call_are_404_for_staff(db, role_users):
    client = client_for(role_users["staff"])
    assert client.get("/manage/awards/runs/999/").status_code == 404
    assert client.get("/manage/awards/calls/999/").status_code == 404
    assert client.get("/manage/awards/calls/999/budget/").status_code == 404


def test_verify_pages_matrix_public(db, role_users):
    expect_matrix(role_users, "/notices/verify/", {role: 200 for role in role_users})
    expect_matrix(role_users, "/notices/verify/ABCD-EFGH-JKMN/",
                  {role: 404 for role in role_users})


# --- What the pages show


def test_call_runs_page_shows_why_a_run_cannot_start_and_that_the_call_is_open(
        demo, role_users):
    call = Call.objects.get(code="2025-JN")
    response = client_for(role_users["staff"]).get(f"/manage/awards/calls/{call.pk}/")
    page = response.content.decode()
    assert re.search(r'id="run-refusal">([^<]+)<', page).group(1) == \
        "No application of this call is scored: there is nothing to award."
    assert re.search(r'id="open-call-warning">([^<]+)<', page).group(1).endswith(
        ": a run now leaves out anything submitted later.")
    assert 'id="start-run" disabled' in page


def test_start_run_refused_renders_the_reason_and_records_nothing(demo, role_users):
    call = close_call(Call.objects.get(code="2025-JN"))
    response = client_for(role_users["staff"]).post(f"/manage/awards/calls/{call.pk}/start/")
    assert response.status_code == 200
    assert re.search(r'id="run-refusal">([^<]+)<', response.content.decode()).group(1) == \
        "No application of this call is scored: there is nothing to award."
    assert AwardRun.objects.count() == 0


def test_start_run_redirects_to_the_preview(gyeongbuk, role_users,
                                            django_capture_on_commit_callbacks):
    call, applications = gyeongbuk
    client = client_for(role_users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/awards/calls/{call.pk}/start/")
    run = AwardRun.objects.get()
    assert (response.status_code, response["Location"]) == (302,
                                                            f"/manage/awards/runs/{run.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert 'id="preview-note"' in page
    assert re.search(r'id="count-selected">(\d+)<', page).group(1) == "2"
    national = re.search(r'id="run-budget-national">(.*?)</tr>', page).group(1)
    # Available, this run (2 × 150,000,000), remaining.
    assert re.findall(r"KRW [\d,]+", national) == ["KRW 2,000,000,000", "KRW 300,000,000",
                                                   "KRW 1,700,000,000"]
    assert f'id="line-{applications[0].pk}"' in page
    assert run.inputs_hash in page


def test_run_status_partial_polls_while_computing_then_reloads_the_page(
        gyeongbuk, role_users, django_capture_on_commit_callbacks):
    call, _applications = gyeongbuk
    run = services.start_run(call, user=role_users["staff"])  # not computed yet
    client = client_for(role_users["staff"])
    response = client.get(f"/manage/awards/runs/{run.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()
    services.compute_run(run.pk)
    response = client.get(f"/manage/awards/runs/{run.pk}/status/", HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Refresh"]) == (204, "true")


def test_confirm_from_the_page_applies_and_shows_progress(
        preview, role_users, django_capture_on_commit_callbacks):
    client = client_for(role_users["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/awards/runs/{preview.pk}/confirm/")
    assert (response.status_code, response["Location"]) == (
        302, f"/manage/awards/runs/{preview.pk}/")
    response = client.get(response["Location"])
    assert [str(m) for m in response.context["messages"]] == [
        "The run is confirmed: every application has its result and the notices are being "
        "generated."]
    page = response.content.decode()
    assert '<progress class="w-100" value="2" max="2"' in page
    assert re.search(r'id="notice-counts">([^<]+)<', page).group(1) == \
        "2 of 2 notices generated, 2 sent."
    # Complete: the progress partial stops polling and no retry button is offered.
    assert 'id="notice-progress" hx-get' not in page
    assert 'id="send-notices"' not in page
    assert AwardRun.objects.get(pk=preview.pk).status == RunStatus.CONFIRMED


def test_notice_progress_partial_polls_while_notices_are_queued(preview, role_users):
    services.confirm_run(preview, user=role_users["staff"])  # notices created, none made yet
    client = client_for(role_users["staff"])
    response = client.get(f"/manage/awards/runs/{preview.pk}/notices/progress/",
                          HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    # With no broker each poll makes the next notice (outbox.work_on): one of two is made,
    # so the bar asks again.
    assert fragment.lstrip().startswith('<div id="notice-progress" hx-get=')
    assert '<progress class="w-100" value="1" max="2"' in fragment
    assert "<html" not in fragment


def test_notice_progress_stops_polling_once_no_notice_is_in_flight(
        preview, role_users):
    from awards.enums import NoticeStatus

    services.confirm_run(preview, user=role_users["staff"])
    first, second = Notice.objects.filter(run=preview).order_by("pk")
    Notice.objects.filter(pk=first.pk).update(status=NoticeStatus.FAILED)
    client = client_for(role_users["staff"])
    url = f"/manage/awards/runs/{preview.pk}/notices/progress/"
    assert 'hx-get=' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    Notice.objects.filter(pk=second.pk).update(status=NoticeStatus.FAILED)
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="notice-progress" >')


def test_confirm_refused_on_the_page_shows_the_reason(preview, gyeongbuk, role_users,
                                                      django_capture_on_commit_callbacks):
    call, applications = gyeongbuk
    from applications.models import PlanVersion

    PlanVersion.objects.create(application=applications[0], number=2, data={},
                               total_cost=5_000_000, requested_support=0)
    response = client_for(role_users["staff"]).post(
        f"/manage/awards/runs/{preview.pk}/confirm/")
    assert response.status_code == 200
    assert re.search(r'id="confirm-refusal">([^<]+)<', response.content.decode()).group(1) \
        .startswith("Scores, plans, rules or budgets of this call have changed")
    assert Application.objects.get(pk=applications[0].pk).status == ApplicationStatus.SCORED


def test_budget_dashboard_shows_lines_tracks_and_an_svg_chart(
        preview, role_users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(preview, user=role_users["staff"])
    response = client_for(role_users["operator_gb"]).get(
        f"/manage/awards/calls/{preview.call_id}/budget/")
    page = response.content.decode()
    national = re.search(r'id="budget-national">(.*?)</tr>', page).group(1)
    assert re.findall(r"KRW [\d,]+", national) == ["KRW 2,000,000,000", "KRW 300,000,000",
                                                   "KRW 1,700,000,000"]
    # 300,000,000 of 2,000,000,000 is 15%: a 37-unit bar of 250.
    assert '<rect x="110" y="4" width="37" height="18" fill="#0d6efd">' in page
    track = preview.call.tracks.get(order=1)
    row = re.search(rf'id="track-{track.pk}">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'class="text-end selected">(\d+)<', row).group(1) == "2"
    assert '<progress class="w-100" value="2" max="10"' in row
    assert "<script" not in page.split("</head>", 1)[1]


def test_company_dashboard_lists_its_notices_with_download_links(
        preview, role_users, django_capture_on_commit_callbacks):
    from tests.factories.applications import MembershipFactory
    from tests.factories.portal import UserFactory

    application = Application.objects.filter(call=preview.call).order_by("pk").first()
    member = UserFactory(email="owner@gb-company.test")
    MembershipFactory(company=application.company, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(preview, user=role_users["staff"])
    notice = Notice.objects.get(application=application)
    page = client_for(member).get("/dashboard/").content.decode()
    section = re.search(r'<section class="mb-4" id="dashboard-notices">(.*?)</section>',
                        page, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', section) == [f"/notices/{notice.pk}/download/"]
    assert f"Verification code {notice.code}" in " ".join(section.split())
    # Another company's member sees no notice.
    other = client_for(role_users["other_company"]).get("/dashboard/").content.decode()
    assert "/download/" not in other.split('id="dashboard-notices"', 1)[1].split(
        "</section>", 1)[0]


def test_staff_and_operator_dashboards_link_to_the_awards(db, role_users):
    for role, text in (("staff", "Award runs and budget dashboards"),
                       ("operator_gb", "Budget dashboards of your region's calls")):
        page = client_for(role_users[role]).get("/dashboard/").content.decode()
        section = re.search(r'id="dashboard-awards-staff">(.*?)</section>', page, re.S).group(1)
        assert re.search(r'<a href="/manage/awards/">([^<]+)</a>', section).group(1) == text


# --- Query counts: the same literal count with 1 and with 3+ items


def test_award_calls_page_query_count_is_constant(demo, role_users, django_assert_num_queries):
    from tests.factories.programs import CallFactory

    operator = role_users["operator_gb"]
    client = client_for(operator)
    with django_assert_num_queries(5):
        response = client.get("/manage/awards/")
    assert len(response.context["calls"]) == 1
    CallFactory.create_batch(2, region=operator.region)
    with django_assert_num_queries(5):
        response = client.get("/manage/awards/")
    assert len(response.context["calls"]) == 3


def test_call_runs_page_query_count_is_constant(gyeongbuk, role_users,
                                                django_assert_num_queries):
    call, _applications = gyeongbuk
    staff = role_users["staff"]
    client = client_for(staff)
    AwardRunFactory(call=call, started_by=staff)
    with django_assert_num_queries(5):
        response = client.get(f"/manage/awards/calls/{call.pk}/")
    assert len(response.context["runs"]) == 1
    AwardRunFactory.create_batch(3, call=call, started_by=staff)
    with django_assert_num_queries(5):
        response = client.get(f"/manage/awards/calls/{call.pk}/")
    assert len(response.context["runs"]) == 4


def test_run_page_query_count_is_constant(db, role_users, django_assert_num_queries):
    staff = role_users["staff"]
    track = TrackFactory()
    run = AwardRunFactory(call=track.call, started_by=staff, status=RunStatus.PREVIEW,
                          inputs_hash="0" * 64,
                          inputs={"budget_lines": [{"source": NAT, "amount": 10**9,
                                                    "committed": 0}]})
    ResultLineFactory(run=run, application__track=track)
    client = client_for(staff)
    with django_assert_num_queries(9):
        response = client.get(f"/manage/awards/runs/{run.pk}/")
    assert len(response.context["lines"]) == 1
    ResultLineFactory.create_batch(3, run=run, application__track=track,
                                   outcome=Outcome.WAITLISTED, waitlist_position=1)
    with django_assert_num_queries(9):
        response = client.get(f"/manage/awards/runs/{run.pk}/")
    assert len(response.context["lines"]) == 4


def test_budget_dashboard_query_count_is_constant(demo, role_users, django_assert_num_queries):
    client = client_for(role_users["staff"])
    cluster = Call.objects.get(code="2025-CL")  # one track, one budget line
    with django_assert_num_queries(7):
        response = client.get(f"/manage/awards/calls/{cluster.pk}/budget/")
    assert (len(response.context["dashboard"].tracks),
            len(response.context["dashboard"].lines)) == (1, 1)
    jeonnam = Call.objects.get(code="2025-JN")  # three tracks, three lines
    with django_assert_num_queries(7):
        response = client.get(f"/manage/awards/calls/{jeonnam.pk}/budget/")
    assert (len(response.context["dashboard"].tracks),
            len(response.context["dashboard"].lines)) == (3, 3)


def test_company_notices_section_query_count_is_constant(db, django_assert_num_queries):
    from tests.factories.applications import CompanyFactory, MembershipFactory
    from tests.factories.portal import UserFactory

    company = CompanyFactory()
    member = UserFactory(email="notices@company.test")
    MembershipFactory(company=company, user=member)
    request = RequestFactory().get("/dashboard/")
    request.user = member

    def add_notice():
        line = ResultLineFactory(application__company=company, application__submitted=True)
        Notice.objects.create(run=line.run, application=line.application, line=line,
                              kind=line.outcome, file="notices/x.pdf",
                              generated_at=line.run.started_at)

    def render():
        with translation.override("en"):
            sections = dashboard.sections(request)
            return [render_to_string(s["template"], {"section": s, "user": member})
                    for s in sections]

    add_notice()
    with django_assert_num_queries(1):
        html = render()
    assert html[0].count("/download/") == 1
    add_notice()
    add_notice()
    with django_assert_num_queries(1):
        html = render()
    assert html[0].count("/download/") == 3


def test_selectors_notices_for_user_scopes_by_company(db):
    from tests.factories.portal import UserFactory

    assert list(selectors.notices_for_user(UserFactory(email="nobody@x.test"))) == []


def test_run_preview_greys_the_amounts_of_an_application_not_selected(
        gyeongbuk, panel, role_users, django_capture_on_commit_callbacks):
    call, applications = gyeongbuk
    below = scored_application(call.tracks.get(order=1), cost=300_000_000,
                               totals=(Decimal(60),), panel=panel)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_run(call, user=role_users["staff"])
    page = client_for(role_users["staff"]).get(f"/manage/awards/runs/{run.pk}/").content.decode()
    selected_row = re.search(rf'id="line-{applications[0].pk}"(.*?)</tr>', page, re.S).group(1)
    below_row = re.search(rf'id="line-{below.pk}"(.*?)</tr>', page, re.S).group(1)
    assert (selected_row.count("text-muted"), below_row.count("text-muted")) == (0, 4)
    assert 'id="hypothetical-note"' in page
