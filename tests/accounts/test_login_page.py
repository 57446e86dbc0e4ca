"""The sign-in page links the password reset once (under the password field, as allauth's form
gives it), not a second time beside the button."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_links_the_password_reset_once(client):
    with translation.override("ko"):
        content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert content.count('href="/accounts/password/reset/"') == 1
    assert "비밀번호를 잊으셨나요?" in content
