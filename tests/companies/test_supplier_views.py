import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Supplier
from tests.factories.applications import SupplierFactory
from tests.factories.portal import UserFactory
from tests.factories.programs import RegionFactory


def client_for(user=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def text(response):
    return response.content.decode()


def listed(response):
    return [supplier.name for supplier in response.context["suppliers"]]


@pytest.fixture
def pool(db):
    gb = RegionFactory(code="GB", name="경상북도", name_en="Gyeongbuk")
    jn = RegionFactory(code="JN", name="전라남도", name_en="Jeonnam")
    return {
        "mes": SupplierFactory(name="가온MES", region=gb, specialties="MES, 공정관리",
                               industries="식품, 음료", processes="발효, 포장"),
        "robot": SupplierFactory(name="나래로봇", region=jn, specialties="협동로봇, 비전검사",
                                 industries="식품", processes="포장"),
        "erp": SupplierFactory(name="다솜ERP", region=None, specialties="ERP",
                               industries="금속가공", processes="절삭"),
        "pending": SupplierFactory(name="미승인솔루션", region=gb, specialties="MES",
                                   industries="식품", approved=False),
    }


def test_list_shows_approved_suppliers_only(pool):
    response = client_for().get(reverse("suppliers:list"))

    assert listed(response) == ["가온MES", "나래로봇", "다솜ERP"]


@pytest.mark.parametrize(("query", "expected"), [
    ({"region": "GB"}, ["가온MES"]),
    ({"specialty": "MES"}, ["가온MES"]),
    ({"industry": "식품"}, ["가온MES", "나래로봇"]),
    ({"q": "포장"}, ["가온MES", "나래로봇"]),
    ({"q": "전라남도"}, ["나래로봇"]),
    ({"region": "JN", "industry": "금속가공"}, []),
])
def test_list_filters(pool, query, expected):
    assert listed(client_for().get(reverse("suppliers:list"), query)) == expected


def test_list_filter_choices_come_from_the_pool(pool):
    response = client_for().get(reverse("suppliers:list"))
    form = response.context["filter"].form

    assert [value for value, _label in form.fields["specialty"].choices][1:] == [
        "ERP", "MES", "공정관리", "비전검사", "협동로봇"]
    assert [value for value, _label in form.fields["industry"].choices][1:] == [
        "금속가공", "식품", "음료"]


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_the_same_for_one_or_many(db, count, django_assert_num_queries):
    region = RegionFactory(code="GB")
    SupplierFactory.create_batch(count, region=region, specialties="MES, ERP",
                                 industries="식품")
    client = client_for()

    with django_assert_num_queries(5):
        response = client.get(reverse("suppliers:list"), {"industry": "식품"})

    assert len(listed(response)) == count


def test_detail_of_approved_supplier_is_public(pool):
    response = client_for().get(reverse("suppliers:detail", args=[pool["mes"].pk]))

    assert response.status_code == 200
    assert pool["mes"].name in text(response)
    assert 'id="approval-banner"' not in text(response)


def test_detail_of_unapproved_supplier_is_404_except_for_staff(pool):
    pending = pool["pending"]
    pending.created_by = UserFactory()
    pending.save()
    url = reverse("suppliers:detail", args=[pending.pk])

    statuses = [client_for(user).get(url).status_code
                for user in (None, UserFactory(), pending.created_by)]
    staff = client_for(UserFactory(is_staff=True)).get(url)

    assert statuses == [404, 404, 404]
    assert staff.status_code == 200
    assert 'id="approval-banner"' in text(staff)


def test_register_supplier_waits_for_approval(db):
    region = RegionFactory(code="GB")
    user = UserFactory()

    response = client_for(user).post(reverse("suppliers:register"), {
        "name": "새솔루션", "registration_number": "124-81-00998", "specialties": "MES",
        "industries": "식품", "processes": "포장", "region": region.pk,
        "contact_name": "박담당", "contact_email": "sales@new.test", "contact_phone": "",
        "past_builds": "12"}, follow=True)

    supplier = Supplier.objects.get()
    assert (supplier.registration_number, supplier.approved, supplier.created_by,
            supplier.past_builds) == ("1248100998", False, user, 12)
    assert "appears in the pool once ministry staff approve it" in text(response)
    assert listed(response) == []


@pytest.mark.parametrize(("number", "message"), [
    ("124-81-00999", "its check digit does not match"),
    ("124-81-0099", "has 10 digits; this one has 9"),
    ("12A-81-00998", "has digits only"),
])
def test_register_supplier_bad_number_keeps_input(db, number, message):
    response = client_for(UserFactory()).post(reverse("suppliers:register"), {
        "name": "새솔루션", "registration_number": number, "specialties": "MES",
        "past_builds": "3"})

    assert response.status_code == 200
    assert message in text(response)
    assert 'value="새솔루션"' in text(response)
    assert f'value="{number}"' in text(response)
    assert Supplier.objects.count() == 0


def test_register_supplier_already_registered_refused(db):
    SupplierFactory(registration_number="1248100998", approved=False)

    response = client_for(UserFactory()).post(reverse("suppliers:register"), {
        "name": "새솔루션", "registration_number": "1248100998", "past_builds": "0"})

    assert "already registered (in the pool or waiting for approval)" in text(response)


def test_staff_approve_supplier_makes_it_public(pool):
    pending = pool["pending"]
    url = reverse("suppliers:approve", args=[pending.pk])

    refused = client_for(UserFactory()).post(url)
    approved = client_for(UserFactory(is_staff=True)).post(url)

    pending.refresh_from_db()
    assert (refused.status_code, approved.status_code, pending.approved) == (404, 302, True)
    assert client_for().get(reverse("suppliers:detail", args=[pending.pk])).status_code == 200


def test_admin_action_approves_suppliers(pool):
    staff = UserFactory(is_staff=True, is_superuser=True)

    response = client_for(staff).post(reverse("admin:companies_supplier_changelist"), {
        "action": "approve", "_selected_action": [pool["pending"].pk]}, follow=True)

    pool["pending"].refresh_from_db()
    assert response.status_code == 200
    assert pool["pending"].approved is True
    assert "1 supplier approved." in text(response)
