"""The header: a 회원가입 link beside 로그인 for visitors, and a greeting by the person's
name once signed in."""

import re

from django.test import Client

from tests.factories.portal import UserFactory


def client(language="ko"):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies["django_language"] = language
    return browser


def header_links(html):
    nav = re.search(r"<nav class=\"navbar.*?</nav>", html, flags=re.S).group(0)
    return re.findall(r'<a class="btn[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def test_visitors_see_sign_up_beside_sign_in(db):
    html = client().get("/announcements/").content.decode()
    assert header_links(html) == [("/accounts/signup/", "회원가입"), ("/accounts/login/", "로그인")]


def test_the_greeting_uses_the_persons_name(db):
    browser = client()
    browser.force_login(UserFactory(full_name="홍길동"))
    html = browser.get("/announcements/").content.decode()
    assert re.search(r'<span class="navbar-text" id="greeting">([^<]+)</span>', html)[1] == (
        "홍길동 님")
    assert header_links(html) == []


def test_the_greeting_falls_back_to_the_email_address(db):
    browser = client("en")
    browser.force_login(UserFactory(full_name="", email="noname@company.test"))
    html = browser.get("/announcements/").content.decode()
    assert re.search(r'id="greeting">([^<]+)</span>', html)[1] == "Hello, noname@company.test"
