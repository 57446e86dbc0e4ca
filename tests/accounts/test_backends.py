"""The signed-in user comes with its reviewer profile in one query (accounts.backends), so the
header can leave "My company" out of a reviewer's menu (issue 11 item 10) at no cost."""

import pytest
from django.contrib.auth import SESSION_KEY, get_user
from django.test import Client, RequestFactory

from accounts.backends import AuthenticationBackend, ModelBackend

pytestmark = pytest.mark.django_db

MY_COMPANY = 'href="/company/"'


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_reviewer_menu_has_no_my_company(role_users):
    page = client_for(role_users["reviewer"]).get("/dashboard/").content.decode()
    assert MY_COMPANY not in page


def test_a_company_member_menu_has_my_company(role_users):
    page = client_for(role_users["company"]).get("/dashboard/").content.decode()
    assert MY_COMPANY in page


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
@pytest.mark.parametrize("role", ["reviewer", "company"])
def test_the_user_is_loaded_with_its_reviewer_profile_in_one_query(role_users, backend, role,
                                                                   django_assert_num_queries):
    user = role_users[role]
    with django_assert_num_queries(1):
        loaded = backend().get_user(user.pk)
        has_profile = hasattr(loaded, "reviewer_profile")
    assert has_profile is (role == "reviewer")


def test_an_inactive_user_is_not_loaded(role_users):
    user = role_users["company"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ModelBackend().get_user(user.pk) is None


def test_a_session_of_the_tests_client_uses_the_joining_backend(role_users):
    client = client_for(role_users["reviewer"])
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session[SESSION_KEY] == str(role_users["reviewer"].pk)
    assert get_user(request).reviewer_profile.pk == role_users["reviewer"].reviewer_profile.pk
