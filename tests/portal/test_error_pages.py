"""The error pages in production mode (DEBUG off), through the test client: the portal's own,
branded and translated 400, 403, 404, 500 and CSRF failure pages. The 500 page renders with the
database out of reach (no database access is allowed in its test)."""

import re
from html import unescape

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.portal.error_urls"


def client(language="ko", **kwargs):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False, **kwargs)
    client.cookies["django_language"] = language
    return client


def heading(response):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def lead(response):
    match = re.search(r'<p class="lead">(.*?)</p>', response.content.decode(), flags=re.S)
    return unescape(match.group(1)).strip()


def main_text(response):
    """The visible text of the page's main part, tags removed, whitespace collapsed."""
    body = re.search(r"<main[^>]*>(.*?)</main>", response.content.decode(), flags=re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode()).group(1))


def no_inline_script_or_style(response):
    html = response.content.decode()
    return (re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html), re.findall(r"<style|\sstyle=", html))


@pytest.mark.django_db
def test_404_in_production_is_the_portals_korean_page():
    response = client().get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response) == "페이지를 찾을 수 없습니다"
    assert lead(response) == ("요청하신 페이지가 없거나, 이 계정으로는 볼 수 없는 페이지입니다. "
                              "주소를 확인하시거나 첫 화면에서 다시 찾아 주십시오.")
    assert title(response) == "페이지를 찾을 수 없습니다 · 중소벤처기업부"
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "Not Found" not in html
    assert "오류 코드 404" in html
    assert 'class="navbar-brand"' in html  # the site's frame, header and all
    assert no_inline_script_or_style(response) == ([], [])


@pytest.mark.django_db
def test_404_in_english_is_english():
    response = client("en").get("/no-such-page/")
    assert response.status_code == 404
    assert heading(response) == "Page not found"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_403_is_the_portals_page():
    response = client().get("/test-errors/403/")
    assert response.status_code == 403
    assert heading(response) == "이 페이지를 열 권한이 없습니다"
    assert "오류 코드 403" in response.content.decode()
    assert no_inline_script_or_style(response) == ([], [])


@pytest.mark.django_db
def test_400_is_the_portals_static_page():
    response = client().get("/test-errors/400/")
    assert response.status_code == 400
    assert heading(response) == "요청을 처리할 수 없습니다"
    assert lead(response) == ("브라우저가 보낸 내용을 읽을 수 없습니다. 이전 화면으로 돌아가 "
                              "페이지를 새로 고친 뒤 다시 시도해 주십시오.")
    assert "오류 코드 400" in response.content.decode()


def test_500_renders_with_the_database_down():
    """No django_db mark: any database access while rendering the page would fail the test."""
    response = client().get("/test-errors/500/")
    assert response.status_code == 500
    assert heading(response) == "일시적인 오류가 발생했습니다"
    assert lead(response) == ("오류가 기록되었으며 따로 하실 일은 없습니다. 잠시 뒤에 다시 시도해 "
                              "주십시오. 계속 같은 오류가 나면 지역 운영기관에 문의해 주십시오.")
    assert title(response) == "일시적인 오류가 발생했습니다 · 스마트공장 지원 포털"
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "/static/css/portal.css" in html
    assert no_inline_script_or_style(response) == ([], [])


def test_500_in_english():
    response = client("en").get("/test-errors/500/")
    assert response.status_code == 500
    assert heading(response) == "Something went wrong on our side"


@pytest.mark.django_db
def test_csrf_failure_is_the_portals_page_without_debug_advice():
    response = client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"login": "someone@example.kr", "password": "x"})
    assert response.status_code == 403
    assert heading(response) == "입력 내용을 보낼 수 없습니다"
    assert lead(response) == (
        "보안을 위해 입력 양식은 그 양식을 보여 준 페이지에서, 이 사이트의 쿠키가 허용된 상태로만 "
        "받습니다. 이전 화면으로 돌아가 페이지를 새로 고친 뒤 다시 보내 주십시오. 입력한 내용을 "
        "다시 입력해야 할 수 있습니다.")
    page = main_text(response)
    assert page == f"오류 코드 403 입력 내용을 보낼 수 없습니다 {lead(response)} 첫 화면으로 가기"
    assert "DEBUG" not in response.content.decode()
    assert no_inline_script_or_style(response) == ([], [])
