"""Lists and dashboards take the same number of queries for one application or several."""

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from applications import dashboard
from applications.services import submit_application
from portal.models import User
from programs.models import Call, Region
from tests.factories.applications import (
    BonusClaimFactory,
    CompanyFactory,
    MembershipFactory,
    make_complete_application,
)
from tests.factories.portal import UserFactory


def applications_of_one_company(count):
    """``count`` applications of one Gyeongbuk company, one per call: the Gyeongbuk one
    submitted, the others drafts (a company outside their region cannot submit them)."""
    company = CompanyFactory(region=Region.objects.get(code="GB"))
    user = MembershipFactory(company=company).user
    calls = list(Call.objects.filter(code__in=["2025-GB", "2025-JN", "2025-JB"])
                 .order_by("code"))[:count]
    for call in calls:
        application = make_complete_application(call.tracks.get(kind="basic"), company=company)
        BonusClaimFactory(application=application,
                          bonus_item=call.bonus_items.get(code="exporter"))
        if call.code == "2025-GB":
            submit_application(application, user=user, revision=0)
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("count", [1, 3])
def test_company_dashboard_section_query_count(demo, count, django_assert_num_queries):
    """The applications section of the dashboard, computed and rendered (the page's other
    sections belong to other apps and have their own tests)."""
    user = applications_of_one_company(count)
    request = RequestFactory().get("/dashboard/")
    request.user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(10):
        (section,) = dashboard.sections(request)
        html = render_to_string(section["template"], {"section": section, "user": request.user},
                                request=request)
    assert html.count('class="card mb-3 application-row"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_company_dashboard_page_shows_every_application(demo, count):
    response = signed_in(applications_of_one_company(count)).get("/dashboard/")
    assert response.content.decode().count('class="card mb-3 application-row"') == count


def gyeongbuk_applications(count):
    track = Call.objects.get(code="2025-GB").tracks.get(kind="basic")
    for _ in range(count):
        application = make_complete_application(track)
        submit_application(application, user=None, revision=0)


@pytest.mark.parametrize("count", [1, 3])
def test_operator_list_query_count(demo, count, django_assert_num_queries):
    gyeongbuk_applications(count)
    client = signed_in(UserFactory(region=Region.objects.get(code="GB")))
    with django_assert_num_queries(7):
        response = client.get("/operator/applications/")
    assert response.content.decode().count("2025-GB-000") == count


@pytest.mark.parametrize("count", [1, 3])
def test_staff_admin_list_query_count(demo, count, django_assert_num_queries):
    gyeongbuk_applications(count)
    client = signed_in(UserFactory(is_staff=True, is_superuser=True))
    # 18 until the track filter read each of the demo's tracks' call once per track
    # (tests/awards/test_admin_lists.py); now constant whatever the number of tracks; 7 since
    # the list has no date hierarchy (two queries over every application) and no full count
    with django_assert_num_queries(7):
        response = client.get("/admin/applications/application/")
    assert response.content.decode().count('class="field-receipt_number"') == count


def test_company_dashboard_page_size_bounded(demo, monkeypatch):
    assert dashboard.APPLICATIONS_PER_PAGE == 10
    monkeypatch.setattr(dashboard, "APPLICATIONS_PER_PAGE", 2)
    client = signed_in(applications_of_one_company(3))

    first = client.get("/dashboard/").content.decode()
    second = client.get("/dashboard/?applications=2").content.decode()

    assert (first.count('class="card mb-3 application-row"'),
            second.count('class="card mb-3 application-row"')) == (2, 1)
    assert 'rel="next" href="?applications=2"' in first


@pytest.mark.parametrize("count", [1, 3])
def test_supplier_pool_queries_constant_and_page_bounded(db, count, django_assert_num_queries,
                                                        monkeypatch):
    from companies import supplier_views
    from tests.factories.applications import SupplierFactory

    assert supplier_views.SupplierListView.paginate_by == 20
    monkeypatch.setattr(supplier_views.SupplierListView, "paginate_by", 2)
    for _ in range(count):
        SupplierFactory()
    # specialties and industries for the filters, regions, count, the page
    with django_assert_num_queries(5):
        response = Client().get("/suppliers/")
    assert len(response.context["suppliers"]) == min(count, 2)
