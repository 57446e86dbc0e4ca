"""The account keeps the language of its last sign-in or switch, for later emails."""

import pytest
from django.test import Client

from tests.factories.portal import UserFactory

pytestmark = pytest.mark.django_db


def test_switching_the_language_records_it_on_the_account():
    user = UserFactory(language="ko")
    client = Client()
    client.force_login(user)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert (response.status_code, user.language, user.email_language) == (302, "en", "en")


def test_switching_the_language_signed_out_records_nothing():
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert (response.status_code, response.cookies["django_language"].value) == (302, "en")


def test_signing_in_through_the_form_records_the_language(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(language="")
    user.set_password("a-long-passphrase-2025")
    user.save()
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/accounts/login/", {"login": user.email, "password": "a-long-passphrase-2025"})

    user.refresh_from_db()
    assert user.language == "en"


def test_switching_to_a_language_the_portal_does_not_offer_changes_nothing():
    user = UserFactory()
    client = Client()
    client.force_login(user)  # (records the language active at sign-in)
    type(user).objects.filter(pk=user.pk).update(language="ko")

    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    user.refresh_from_db()
    assert (response.status_code, user.language) == (302, "ko")
