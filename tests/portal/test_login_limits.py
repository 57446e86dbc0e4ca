"""Sign-in rate limits: failed sign-ins are limited per account (5 in 5 minutes, from any
address) and, much more loosely, per IP address, so one person's typos never lock out the
colleagues behind the same office address. The Django admin signs in through the same
allauth form (same limits, same two-factor step): its own password form is gone."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.applications.test_views import text
from tests.factories.portal import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

OFFICE_IP = "203.0.113.7"
LOCKED = "Too many failed sign-in attempts. Wait a few minutes, then try again."


def browser(ip=OFFICE_IP):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=ip)
    client.cookies["django_language"] = "en"
    return client


def sign_in(client, email, password, path=None):
    return client.post(path or reverse("account_login"), {"login": email, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_admin_login_posts_never_sign_in_even_after_25_wrong_passwords(db):
    """Posting the admin's old password form signs nobody in: it only leads to allauth's."""
    staff = UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True)
    client = browser()
    for _ in range(25):
        client.post("/admin/login/?next=/admin/", {"username": staff.email,
                                                   "password": "wrong-password"})

    response = client.post("/admin/login/?next=/admin/", {"username": staff.email,
                                                          "password": PASSWORD})

    assert (response.status_code, response["Location"], signed_in_as(client)) == (
        302, "/accounts/login/?next=%2Fadmin%2F", None)


def test_admin_login_page_is_the_portal_sign_in_form(db):
    response = browser().get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302),
                                       ("/accounts/login/?next=%2Fadmin%2F", 302)]
    assert 'id="login-form"' in response.content.decode()


def test_admin_sign_in_after_25_wrong_passwords_refuses_the_right_one(db):
    staff = UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True)
    client = browser()
    login_url = client.get("/admin/login/?next=/admin/")["Location"]
    for _ in range(25):
        sign_in(client, staff.email, "wrong-password", path=login_url)

    response = sign_in(client, staff.email, PASSWORD, path=login_url)

    assert (response.status_code, LOCKED in text(response), signed_in_as(client)) == (
        200, True, None)
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"


def test_admin_login_with_an_unsafe_next_goes_to_the_admin_index(db):
    response = browser().get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_admin_login_for_a_signed_in_company_member_is_404(db):
    client = browser()
    client.force_login(UserFactory(email="member@company.test"))

    assert client.get("/admin/login/?next=/admin/").status_code == 404


def test_five_failures_of_one_account_do_not_lock_a_colleague_on_the_same_ip(db):
    UserFactory(email="a@company.test")
    UserFactory(email="b@company.test")
    typist, colleague = browser(), browser()
    for _ in range(5):
        assert sign_in(typist, "a@company.test", "wrong-password").status_code == 200

    refused = sign_in(typist, "a@company.test", PASSWORD)
    accepted = sign_in(colleague, "b@company.test", PASSWORD)

    assert (LOCKED in text(refused), signed_in_as(typist)) == (True, None)
    assert (accepted.status_code, accepted["Location"]) == (302, reverse("dashboard"))
    assert signed_in_as(colleague) is not None


def test_account_lock_holds_from_another_ip(db):
    UserFactory(email="a@company.test")
    for number in range(5):
        sign_in(browser(f"198.51.100.{number + 1}"), "a@company.test", "wrong-password")
    client = browser("192.0.2.200")

    response = sign_in(client, "a@company.test", PASSWORD)

    assert (response.status_code, LOCKED in text(response), signed_in_as(client)) == (
        200, True, None)


def test_login_failed_limits_per_account_first_then_loosely_per_ip():
    """The account's limit is checked first, so attempts it refuses do not use up the
    address's allowance that colleagues share."""
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "5/5m/key,100/5m/ip"
