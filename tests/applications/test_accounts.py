"""Accounts through django-allauth: sign-up with email confirmation, sign-in, the login rate
limit, password reset — on the portal's own translated, Bootstrap-styled pages."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from portal.models import User
from tests.applications.test_views import text
from tests.factories.portal import PASSWORD, UserFactory

NEW_PASSWORD = "blue-horse-staple-91"


def client(language="en"):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies["django_language"] = language
    return browser


def sign_in(browser, email, password):
    return browser.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_up_confirm_by_email_then_sign_in(db, django_capture_on_commit_callbacks):
    browser = client()
    with django_capture_on_commit_callbacks(execute=True):  # emails leave after the commit
        response = browser.post(reverse("account_signup"), {
            "email": "new@company.test", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, "full_name": "New Member",
            "consent_personal_information": "on"})
    assert response.url == reverse("account_email_verification_sent")
    assert "We have sent you an email with a link." in text(browser.get(response.url))
    # Not confirmed yet: signing in leads back to the confirmation notice.
    refused = sign_in(client(), "new@company.test", NEW_PASSWORD)
    assert refused.url == reverse("account_email_verification_sent")
    (message,) = [m for m in mail.outbox if m.to == ["new@company.test"]][-1:]
    assert message.subject == "[Smart Factory Support Portal] Confirm your email address"
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", message.body)[0]
    path = link.split("testserver", 1)[-1]
    confirm_page = client().get(path)
    assert "Confirm that new@company.test is your email address." in text(confirm_page)
    client().post(path)
    assert User.objects.get(email="new@company.test").emailaddress_set.get().verified is True
    signed_in = sign_in(client(), "new@company.test", NEW_PASSWORD)
    assert signed_in.url == reverse("dashboard")


def test_sign_up_page_styled_and_in_korean_by_default(db):
    page = client("ko").get(reverse("account_signup"))
    html = page.content.decode()
    assert '<html lang="ko">' in html
    assert re.search(r'<input type="email" name="email"[^>]*class="[^"]*form-control', html)
    assert 'id="signup-button"' in html


def test_sign_up_with_a_taken_email_tells_the_owner_not_the_visitor(
        db, django_capture_on_commit_callbacks):
    """No account enumeration: the visitor sees the usual notice; the owner gets an email."""
    UserFactory(email="taken@company.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client().post(reverse("account_signup"), {
            "email": "taken@company.test", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, "full_name": "Someone Else",
            "consent_personal_information": "on"})
    assert response.url == reverse("account_email_verification_sent")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["taken@company.test"], "[Smart Factory Support Portal] Your account already exists")]
    assert User.objects.filter(email="taken@company.test").count() == 1


def test_wrong_password_message(db):
    UserFactory(email="member@company.test")
    response = sign_in(client(), "member@company.test", "wrong-password")
    assert "The email address or the password is not correct." in text(response)
    assert 'value="member@company.test"' in response.content.decode()


def test_login_rate_limit_refuses_the_sixth_attempt_even_with_the_right_password(db):
    UserFactory(email="member@company.test")
    browser = client()
    for _ in range(5):
        assert sign_in(browser, "member@company.test", "wrong-password").status_code == 200
    response = sign_in(browser, "member@company.test", PASSWORD)
    assert response.status_code == 200
    assert ("Too many failed sign-in attempts. Wait a few minutes, then try again."
            in text(response))
    assert "_auth_user_id" not in browser.session


def test_login_rate_limit_message_in_korean(db):
    UserFactory(email="member@company.test")
    browser = client("ko")
    for _ in range(5):
        sign_in(browser, "member@company.test", "wrong-password")
    response = sign_in(browser, "member@company.test", "wrong-password")
    assert "로그인에 여러 번 실패했습니다. 몇 분 뒤에 다시 시도하십시오." in text(response)


def test_password_reset_by_email(db, django_capture_on_commit_callbacks):
    UserFactory(email="member@company.test")
    browser = client()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("account_reset_password"),
                                {"email": "member@company.test"})
    assert response.url == reverse("account_reset_password_done")
    message = mail.outbox[-1]
    assert message.subject == "[Smart Factory Support Portal] Reset your password"
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", message.body)[0]
    form_page = browser.get(link.split("testserver", 1)[-1], follow=True)
    assert "Choose a new password" in text(form_page)
    browser.post(form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD,
                                                    "password2": NEW_PASSWORD})
    assert sign_in(client(), "member@company.test", NEW_PASSWORD).url == reverse("dashboard")


def test_sign_out_by_post(db):
    user = UserFactory()
    browser = client()
    browser.force_login(user)
    response = browser.post(reverse("account_logout"))
    assert (response.status_code, "_auth_user_id" in browser.session) == (302, False)
