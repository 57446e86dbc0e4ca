"""Issue 11 item 8: what the portal wrote into a record in one language (a history entry's
reason, a supplier's term from the pool's vocabulary) reads in the reader's language; what a
person typed stays as typed."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.models import StateChange
from portal.text import in_reader_language
from tests.applications.test_views import client_for, submit
from tests.factories.applications import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("stored", "language", "shown"), [
    ("평가위원이 배정되었습니다.", "en", "Reviewers assigned."),
    ("Reviewers assigned.", "ko", "평가위원이 배정되었습니다."),
    ("평가위원이 배정되었습니다.", "ko", "평가위원이 배정되었습니다."),
    ("식품", "en", "Food"),
    ("대표가 친척입니다", "en", "대표가 친척입니다"),  # typed by a person: as typed
    ("", "en", ""),
])
def test_a_stored_text_in_the_reader_language(stored, language, shown):
    with translation.override(language):
        assert in_reader_language(stored) == shown


def test_an_english_history_shows_the_portal_reasons_in_english(application, member):
    submit(client_for(member), application)
    StateChange.objects.create(
        application=application, from_status=ApplicationStatus.SUBMITTED,
        to_status=ApplicationStatus.WITHDRAWN, reason="회사가 다시 열었습니다.")
    with translation.override("ko"):
        korean_reason = str(translation.gettext("Reopened by the company."))
    StateChange.objects.create(
        application=application, from_status=ApplicationStatus.WITHDRAWN,
        to_status=ApplicationStatus.DRAFT, reason=korean_reason)

    page = client_for(member, "en").get(
        reverse("applications:detail", args=[application.pk])).content.decode()

    assert "Draft — Reopened by the company." in page
    assert "회사가 다시 열었습니다." in page  # not the portal's wording: as stored


def english_client():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="한빛스마트솔루션", specialties="MES, 공정관리, 설비 모니터링",
                           industries="식품, 음료", processes="배합, 발효, 충전·포장")


def test_the_supplier_pool_in_english_shows_the_vocabulary_in_english(supplier):

    listing = english_client().get("/suppliers/").content.decode()
    detail = english_client().get(f"/suppliers/{supplier.pk}/").content.decode()

    assert "MES, Process management, Equipment monitoring · Food, Beverages" in listing
    for term in ("Blending", "Fermentation", "Filling", "Packaging"):
        assert f'border me-1">{term}</span>' in detail
    assert '<option value="식품">Food</option>' in listing


def test_the_supplier_pool_in_korean_is_unchanged(supplier):
    listing = Client().get("/suppliers/").content.decode()
    assert "MES, 공정관리, 설비 모니터링 · 식품, 음료" in listing
