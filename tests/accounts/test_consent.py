"""Sign-up as Korean users expect it (accounts/): the name, the required consent to the
collection and use of personal information with its items, purpose and retention period, the
optional marketing consent recorded with its date and version; a new version of the texts
asks existing users again at their next sign-in and returns them where they were going."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentRecord, ConsentVersion
from accounts.services import consent_due, record_consent
from accounts.texts import FIRST_VERSION
from portal.models import User
from tests.applications.test_views import text
from tests.factories.portal import PASSWORD, UserFactory

NEW_PASSWORD = "blue-horse-staple-91"


def client(language="ko"):
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    browser.cookies["django_language"] = language
    return browser


def signup_data(**overrides):
    return {"email": "hong@company.test", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, "full_name": "홍길동",
            "consent_personal_information": "on", **overrides}


def sign_in(browser, email, password=PASSWORD, **extra):
    return browser.post(reverse("account_login"), {"login": email, "password": password},
                        **extra)


def test_first_consent_version_exists_after_migrating(db):
    version = ConsentVersion.objects.current()
    assert (version.number, version.items, version.retention) == (
        1, FIRST_VERSION["items"], FIRST_VERSION["retention"])


def test_sign_up_page_shows_name_and_the_consent_texts(db):
    page = client().get(reverse("account_signup"))
    html = page.content.decode()
    assert re.findall(r'<input type="(?:email|password|text|checkbox)" name="(\w+)"', html) == [
        "email", "password1", "password2", "full_name", "consent_personal_information",
        "consent_marketing"]
    body = text(page)
    assert "개인정보 수집·이용 동의(필수)" in body
    assert ("수집 항목 필수: 이름, 이메일 주소, 비밀번호(암호화하여 저장), 접속 기록 지원사업을 "
            "신청할 때: 소속 기업의 정보, 담당자의 연락처") in body
    assert ("보유·이용 기간 회원 탈퇴 시까지. 다만 지원사업의 신청·선정 기록은 관계 법령에 따라 "
            "사업 종료 후 5년간 보관합니다.") in body
    assert "개인정보 수집·이용에 동의합니다(필수)" in body
    assert "공고와 행사 소식을 이메일로 받는 데 동의합니다(선택)" in body
    assert "동의서 제1판, 시행일 " in body


def test_sign_up_without_the_required_consent_is_refused_and_keeps_what_was_typed(db):
    response = client().post(reverse("account_signup"), signup_data(
        consent_personal_information="", consent_marketing="on"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"consent_personal_information": [
        "회원 가입에는 개인정보 수집·이용 동의가 필요합니다. 동의란에 체크해 주십시오."]}
    html = response.content.decode()
    assert 'value="hong@company.test"' in html
    assert 'value="홍길동"' in html
    assert re.search(r'name="consent_marketing"[^>]*checked', html)
    assert User.objects.filter(email="hong@company.test").exists() is False


def test_sign_up_without_a_name_is_refused(db):
    response = client().post(reverse("account_signup"), signup_data(full_name="   "))
    assert response.context["form"].errors == {"full_name": ["이름을 입력해 주십시오."]}


@pytest.mark.parametrize("marketing", [True, False])
def test_sign_up_records_the_name_and_the_consents_with_date_and_version(
        db, marketing, django_capture_on_commit_callbacks):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client().post(reverse("account_signup"), signup_data(
            full_name="  홍  길동 ", consent_marketing="on" if marketing else ""))
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="hong@company.test")
    assert user.full_name == "홍 길동"
    record = ConsentRecord.objects.get(user=user)
    assert (record.version.number, record.personal_information, record.marketing) == (
        1, True, marketing)
    assert before <= record.agreed_at <= timezone.now()
    assert len([m for m in mail.outbox if m.to == ["hong@company.test"]]) == 1


def publish_version(number, days_ago=0):
    return ConsentVersion.objects.create(
        number=number, items="이름, 이메일 주소", purpose="회원 관리", retention="탈퇴 시까지",
        refusal="동의하지 않을 수 있습니다.", marketing="소식을 받습니다.",
        published_at=timezone.now() - timedelta(days=days_ago))


def test_a_new_version_asks_again_at_the_next_sign_in_and_returns_where_the_user_was_going(db):
    user = UserFactory(email="kim@company.test")
    record_consent(user, ConsentVersion.objects.get(number=1), marketing=True)
    publish_version(2)
    browser = client()
    response = sign_in(browser, "kim@company.test", **{"next": "/alerts/"})
    response = browser.get("/alerts/")
    assert response.status_code == 302
    assert response.url == "/accounts/consent/?next=%2Falerts%2F"
    # Every page leads there until the user agrees; signing out stays open.
    assert browser.get("/dashboard/").url == "/accounts/consent/?next=%2Fdashboard%2F"
    page = browser.get(response.url)
    body = text(page)
    assert "동의서 내용이 바뀌었습니다" in body
    assert "수집 항목 이름, 이메일 주소" in body
    assert "동의서 제2판, 시행일 " in body
    refused = browser.post("/accounts/consent/", {"next": "/alerts/"})
    assert refused.context["form"].errors == {"consent_personal_information": [
        "포털을 계속 이용하려면 개인정보 수집·이용에 동의해 주십시오."]}
    agreed = browser.post("/accounts/consent/", {"next": "/alerts/",
                                                 "consent_personal_information": "on"})
    assert agreed.url == "/alerts/"
    assert browser.get("/alerts/").status_code == 200
    records = ConsentRecord.objects.filter(user=user).order_by("version__number")
    assert [(r.version.number, r.marketing) for r in records] == [(1, True), (2, False)]
    # The next sign-in asks nothing.
    again = client()
    sign_in(again, "kim@company.test")
    assert again.get("/dashboard/").status_code == 200


def test_the_consent_page_does_not_return_to_another_site(db):
    user = UserFactory(email="kim@company.test")
    record_consent(user, ConsentVersion.objects.get(number=1), marketing=False)
    publish_version(2)
    browser = client()
    sign_in(browser, "kim@company.test")
    agreed = browser.post("/accounts/consent/", {"next": "https://evil.example/",
                                                 "consent_personal_information": "on"})
    assert agreed.url == "/dashboard/"


def test_an_unpublished_version_asks_nothing(db):
    user = UserFactory()
    record_consent(user, ConsentVersion.objects.get(number=1), marketing=False)
    ConsentVersion.objects.create(number=2, items="-", purpose="-", retention="-", refusal="-",
                                  marketing="-", published_at=None)
    ConsentVersion.objects.create(number=3, items="-", purpose="-", retention="-", refusal="-",
                                  marketing="-",
                                  published_at=timezone.now() + timedelta(days=3))
    assert ConsentVersion.objects.current().number == 1
    assert consent_due(user) is None


def test_an_account_without_any_consent_record_is_asked_at_its_next_sign_in(db):
    """Accounts made by staff in the admin (or before consent was recorded) consent too."""
    user = UserFactory(email="staffmade@company.test", consented=False)
    browser = client()
    sign_in(browser, "staffmade@company.test")
    assert browser.get("/dashboard/").url == "/accounts/consent/?next=%2Fdashboard%2F"
    agreed = browser.post("/accounts/consent/", {"next": "/dashboard/",
                                                 "consent_personal_information": "on"})
    assert agreed.url == "/dashboard/"
    assert [r.version.number for r in ConsentRecord.objects.filter(user=user)] == [1]
    assert browser.get("/dashboard/").status_code == 200


def test_consent_records_are_read_only_in_the_admin_and_agreed_versions_cannot_change(db):
    staff = UserFactory(is_staff=True, is_superuser=True, email="admin@company.test")
    user = UserFactory()
    version = ConsentVersion.objects.get(number=1)
    record = record_consent(user, version, marketing=True)
    browser = client("en")
    browser.force_login(staff)
    from allauth.mfa.models import Authenticator  # noqa: F401 - staff has one (factory)

    session = browser.session
    session["allauth_2fa_passed"] = True
    session.save()
    page = browser.get(f"/admin/accounts/consentrecord/{record.pk}/change/")
    assert page.status_code == 200
    assert 'name="marketing"' not in page.content.decode()  # shown, not editable
    assert browser.get("/admin/accounts/consentrecord/add/").status_code == 403
    version_page = browser.get(f"/admin/accounts/consentversion/{version.pk}/change/")
    assert 'name="items"' not in version_page.content.decode()
    draft = publish_version(5)
    draft_page = browser.get(f"/admin/accounts/consentversion/{draft.pk}/change/")
    assert 'name="items"' in draft_page.content.decode()
