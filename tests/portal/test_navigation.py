"""The header's menu offers each role its own pages: a reviewer has no "My company"."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def menu_links(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)
    html = client.get("/announcements/").content.decode()
    return {"내 기업": 'href="/company/"' in html, "내 대시보드": 'href="/dashboard/"' in html}


def test_a_reviewer_has_no_my_company_link(role_users):
    assert menu_links(role_users["reviewer"]) == {"내 기업": False, "내 대시보드": True}


def test_a_company_member_has_it(role_users):
    assert menu_links(role_users["company"]) == {"내 기업": True, "내 대시보드": True}


def test_staff_see_the_applications_instead(role_users):
    assert menu_links(role_users["staff"]) == {"내 기업": False, "내 대시보드": True}
