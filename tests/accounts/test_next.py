"""Where the user was going survives sign-up, the confirmation email and the first sign-in
(issue 11, point 3): 신청하기 → sign up → confirm → sign in lands on the application's first
form, and an invitation link does the same; signed out, the invitation page names the
inviting company and leads to sign-up and sign-in, each returning to it."""

import re
from urllib.parse import quote

from django.core import mail
from django.test import Client

from companies.models import Invitation
from programs.models import Announcement
from tests.applications.test_views import text
from tests.factories.applications import CompanyFactory
from tests.factories.portal import UserFactory

NEW_PASSWORD = "blue-horse-staple-91"


def client():
    browser = Client(HTTP_ACCEPT_LANGUAGE="ko")
    browser.cookies["django_language"] = "ko"
    return browser


def sign_up(browser, email, next_url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return browser.post("/accounts/signup/", {
            "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
            "full_name": "홍길동", "consent_personal_information": "on", "next": next_url})


def confirmation_path(email):
    (message,) = [m for m in mail.outbox if m.to == [email]]
    return re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body)[1]


def test_apply_sign_up_confirm_and_sign_in_lands_on_the_application_form(
        demo, django_capture_on_commit_callbacks):
    announcement = Announcement.objects.get(call__code="2025-GB")
    apply = f"/announcements/{announcement.pk}/apply/"
    browser = client()
    to_login = browser.get(apply)
    assert to_login.url == f"/accounts/login/?next={apply}"
    login_page = browser.get(to_login.url)
    assert (f'href="/accounts/signup/?next={quote(apply, safe="")}"'
            in login_page.content.decode())
    signup_page = browser.get(f"/accounts/signup/?next={quote(apply, safe='')}")
    assert f'name="next" value="{apply}"' in signup_page.content.decode()
    sign_up(browser, "hong@company.test", apply, django_capture_on_commit_callbacks)
    path = confirmation_path("hong@company.test")
    assert path.endswith(f"/?next={quote(apply, safe='')}")
    # Confirmed in another browser (the mail app's): the link still knows where to go.
    other = client()
    confirm_page = other.get(path)
    assert f'name="next" value="{apply}"' in confirm_page.content.decode()
    confirmed = other.post(path.split("?")[0], {"next": apply})
    assert confirmed.url == apply
    to_login = other.get(apply)
    signed_in = other.post(to_login.url, {"login": "hong@company.test",
                                          "password": NEW_PASSWORD, "next": apply})
    assert signed_in.url == apply
    start = other.get(apply)
    assert start.url == f"/applications/start/{announcement.call_id}/"
    # No company yet: its registration first, which then returns to the application.
    registration = other.get(start.url)
    assert registration.url == (f"/company/new/?next=/applications/start/"
                                f"{announcement.call_id}/")


def test_a_next_to_another_site_is_not_put_in_the_link(db, django_capture_on_commit_callbacks):
    sign_up(client(), "kim@company.test", "https://evil.example/",
            django_capture_on_commit_callbacks)
    assert "next=" not in confirmation_path("kim@company.test")


def test_signed_out_invitation_names_the_company_and_returns_after_sign_up(
        db, django_capture_on_commit_callbacks):
    company = CompanyFactory(name="새봄식품")
    inviter = UserFactory(full_name="박대표")
    invitation = Invitation.objects.create(company=company, email="new@company.test",
                                           invited_by=inviter)
    path = f"/company/invitations/{invitation.token}/"
    browser = client()
    page = browser.get(path)
    assert page.status_code == 200
    body = text(page)
    assert "새봄식품" in body
    assert "박대표" in body
    html = page.content.decode()
    assert f'id="invitation-signup" href="/accounts/signup/?next={path}"' in html
    assert f'id="invitation-login" href="/accounts/login/?next={path}"' in html
    assert 'id="accept-button"' not in html
    refused = browser.post(path)
    assert refused.url == f"/accounts/login/?next={path}"
    sign_up(browser, "new@company.test", path, django_capture_on_commit_callbacks)
    link = confirmation_path("new@company.test")
    assert link.endswith(f"?next={quote(path, safe='')}")
    assert browser.post(link.split("?")[0], {"next": path}).url == path
    signed_in = browser.post("/accounts/login/", {"login": "new@company.test",
                                                 "password": NEW_PASSWORD, "next": path})
    assert signed_in.url == path
    accepted = browser.post(path)
    assert accepted.url == "/dashboard/"
    assert company.memberships.filter(user__email="new@company.test").count() == 1
