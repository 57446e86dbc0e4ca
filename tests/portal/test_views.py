"""The site shell: home page, dashboard per role, language switcher."""

import pytest
from django.test import Client

from tests.permissions import expect_matrix

pytestmark = pytest.mark.django_db


def test_dashboard_for_every_signed_in_role(role_users):
    expected = dict.fromkeys(role_users, 200)
    expected["anonymous"] = 302
    expect_matrix(role_users, "/dashboard/", expected)


def test_dashboard_links_operator_to_its_announcements(role_users):
    client = Client()
    client.force_login(role_users["operator_gb"])
    html = client.get("/dashboard/").content.decode()
    assert "경상북도의 공모를 운영합니다." in html
    assert 'href="/manage/announcements/"' in html


def test_language_switcher_turns_the_site_english_and_back(demo):
    client = Client()
    assert client.get("/").headers["Content-Language"] == "ko"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/announcements/"})
    assert response["Location"] == "/announcements/"
    response = client.get("/announcements/")
    html = response.content.decode()
    assert (response.headers["Content-Language"], '<html lang="en">' in html) == ("en", True)
    assert '<button class="btn btn-sm btn-outline-light" type="submit" name="language" ' \
           'value="ko" lang="ko">한국어</button>' in html
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "ko"


def test_navigation_shows_manage_link_to_operators_only(role_users):
    operator, company = Client(), Client()
    operator.force_login(role_users["operator_gb"])
    company.force_login(role_users["company"])
    link = '<a class="nav-link" href="/manage/announcements/">공고 관리</a>'
    assert (link in operator.get("/").content.decode(),
            link in company.get("/").content.decode()) == (True, False)
