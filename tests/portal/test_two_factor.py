"""Two-factor authentication: staff, regional operators and reviewers (and any later role named
in ``TWO_FACTOR_REQUIRED_FOR``) enrol an authenticator app before any page opens, the admin
included; companies may enrol. Signing in asks enrolled users for the app's code; a recovery
code works once."""

import re
import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from portal import mfa
from portal.demo import DEMO_TOTP_SECRET
from programs.models import Region
from tests.applications.test_views import text
from tests.factories.applications import MembershipFactory
from tests.factories.portal import PASSWORD, TOTP_SECRET, UserFactory, give_totp, totp_code
from tests.factories.reviews import AssignmentFactory, ReviewerProfileFactory

pytestmark = pytest.mark.django_db

ENROL = "/accounts/2fa/totp/activate/"
CODE_STEP = "/accounts/2fa/authenticate/"
WRONG_CODE = ("The code is not correct. Enter the current code of your authenticator app, or "
              "one of your recovery codes.")

STAFF_PAGES = ["/", "/dashboard/", "/announcements/", "/manage/announcements/",
               "/operator/applications/", "/manage/reviews/", "/manage/awards/", "/admin/",
               "/admin/portal/user/"]
OPERATOR_PAGES = ["/", "/dashboard/", "/manage/announcements/", "/manage/announcements/new/",
                  "/operator/applications/", "/manage/awards/"]
REVIEWER_PAGES = ["/", "/dashboard/", "/reviews/", "/reviews/{a}/", "/reviews/{a}/conflict/"]


def browser(language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    return client


def signed_in(user):
    client = browser()
    client.force_login(user)
    return client


def staff(**kwargs):
    return UserFactory(email="staff@mss.test", is_staff=True, is_superuser=True, **kwargs)


def operator(**kwargs):
    return UserFactory(email="operator@gb.test", region=Region.objects.get(code="GB"), **kwargs)


def reviewer(email="reviewer@review.test", **kwargs):
    """A reviewer with one assignment (its pages have the assignment's id)."""
    profile = ReviewerProfileFactory(user=UserFactory(email=email), **kwargs)
    return profile.user, AssignmentFactory(reviewer=profile)


def company_member():
    return MembershipFactory(user=UserFactory(email="member@company.test")).user


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def user_id(client):
    return client.session.get("_auth_user_id")


def confirm_password(client):
    """allauth asks for the password again before two-factor settings change."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


# --- Who must enrol -------------------------------------------------------------------------

def is_inspector(user):
    """A later role (an inspector of finished projects) plugs in with one predicate."""
    return user.email.endswith("@inspection.test")


def test_requires_two_factor_for_every_role_that_handles_others_data(demo, settings):
    settings.TWO_FACTOR_REQUIRED_FOR = [*settings.TWO_FACTOR_REQUIRED_FOR,
                                        "tests.portal.test_two_factor.is_inspector"]
    inactive, _assignment = reviewer("inactive@review.test", active=False)
    users = {"staff": staff(), "operator": operator(), "reviewer": reviewer()[0],
             "company": company_member(), "inspector": UserFactory(email="kim@inspection.test")}
    required = {role: mfa.requires_two_factor(user) for role, user in users.items()}
    required["inactive_reviewer"] = mfa.requires_two_factor(inactive)
    assert required == {"staff": True, "operator": True, "reviewer": True, "company": False,
                        "inspector": True, "inactive_reviewer": False}


# --- Unenrolled: every page leads to the enrolment ----------------------------------------------

@pytest.mark.parametrize("path", STAFF_PAGES)
def test_unenrolled_staff_is_sent_to_enrolment(demo, path):
    response = signed_in(staff(two_factor=False)).get(path)
    assert (response.status_code, response["Location"]) == (302, ENROL)


@pytest.mark.parametrize("path", OPERATOR_PAGES)
def test_unenrolled_operator_is_sent_to_enrolment(demo, path):
    response = signed_in(operator(two_factor=False)).get(path)
    assert (response.status_code, response["Location"]) == (302, ENROL)


@pytest.mark.parametrize("path", REVIEWER_PAGES)
def test_unenrolled_reviewer_is_sent_to_enrolment(demo, path):
    user, assignment = reviewer(two_factor=False)
    response = signed_in(user).get(path.format(a=assignment.pk))
    assert (response.status_code, response["Location"]) == (302, ENROL)


def test_unenrolled_reviewer_post_is_sent_to_enrolment_and_changes_nothing(demo):
    user, assignment = reviewer(two_factor=False)
    response = signed_in(user).post(f"/reviews/{assignment.pk}/conflict/",
                                    {"answer": "declared", "reason": "전 직장"})
    assignment.refresh_from_db()
    assert (response.status_code, response["Location"], assignment.conflict) == (
        302, ENROL, "none")


def test_unenrolled_staff_htmx_request_loads_the_enrolment_page_whole(demo):
    response = signed_in(staff(two_factor=False)).get("/manage/awards/", HTTP_HX_REQUEST="true")
    assert (response.status_code, response["HX-Redirect"]) == (204, ENROL)


def test_unenrolled_staff_still_reaches_enrolment_sign_out_and_language(demo):
    client = signed_in(staff(two_factor=False))
    statuses = {
        # Signed in by force_login (no sign-in record): allauth asks for the password first.
        "enrol": client.get(ENROL)["Location"],
        "reauthenticate": client.get("/accounts/reauthenticate/?next=" + ENROL).status_code,
        "overview": client.get("/accounts/2fa/").status_code,
        "language": client.post("/i18n/setlang/", {"language": "ko", "next": "/"}).status_code,
    }
    statuses["sign_out"] = client.post("/accounts/logout/").status_code
    assert statuses == {"enrol": "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2F"
                                 "activate%2F",
                        "reauthenticate": 200, "overview": 200, "language": 302,
                        "sign_out": 302}
    assert user_id(client) is None


def test_static_files_are_never_sent_to_enrolment(demo, rf):
    request = rf.get("/static/css/portal.css")
    request.user = staff(two_factor=False)
    request.session = {}
    middleware = mfa.TwoFactorEnrolmentMiddleware(lambda request: None)
    assert middleware.process_view(request, None, (), {}) is None


# --- Enrolled, or not required: pages open -----------------------------------------------------

@pytest.mark.parametrize("path", [*STAFF_PAGES, "/accounts/2fa/"])
def test_enrolled_staff_opens_its_pages(demo, path):
    response = signed_in(staff()).get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("path", OPERATOR_PAGES)
def test_enrolled_operator_opens_its_pages(demo, path):
    response = signed_in(operator()).get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("path", REVIEWER_PAGES)
def test_enrolled_reviewer_opens_its_pages(demo, path):
    user, assignment = reviewer()
    assignment.conflict = "pending"
    assignment.save(update_fields=["conflict"])
    response = signed_in(user).get(path.format(a=assignment.pk), follow=True)
    assert (response.status_code, response.redirect_chain[-1:]) == (
        200, [] if "conflict" in path or "{a}" not in path
        else [(f"/reviews/{assignment.pk}/conflict/", 302)])


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/company/", "/announcements/"])
def test_company_without_two_factor_is_not_sent_to_enrolment(demo, path):
    response = signed_in(company_member()).get(path)
    assert response.status_code == 200


def test_company_dashboard_links_the_two_factor_page(demo):
    client = signed_in(company_member())
    dashboard = client.get("/dashboard/").content.decode()
    overview = text(client.get("/accounts/2fa/"))
    assert 'href="/accounts/2fa/" id="two-factor-link"' in dashboard
    assert "Not set up" in overview
    assert 'href="/accounts/2fa/totp/activate/" id="totp-activate"' in client.get(
        "/accounts/2fa/").content.decode()


def test_enrolment_is_checked_once_per_session_then_again_after_a_while(demo, monkeypatch):
    """A reset in the admin (the authenticator deleted) reaches open sessions too."""
    user = staff()
    client = signed_in(user)
    Authenticator.objects.filter(user=user).delete()
    soon = client.get("/dashboard/").status_code
    later = time.time() + mfa.RECHECK_SECONDS + 1
    monkeypatch.setattr(mfa.time, "time", lambda: later)
    response = client.get("/dashboard/")
    assert (soon, response.status_code, response["Location"]) == (200, 302, ENROL)


# --- Enrolling ---------------------------------------------------------------------------------

def test_unenrolled_staff_signs_in_enrols_and_gets_recovery_codes(demo):
    user = staff(two_factor=False)
    client = browser()
    signed = sign_in(client, user.email)
    sent = client.get(signed["Location"])
    asked = client.get(ENROL)
    confirm_password(client)
    page = client.get(ENROL)
    html = page.content.decode()
    secret = page.context["form"].secret
    wrong = client.post(ENROL, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    activated = client.post(ENROL, {"code": totp_code(secret)})
    codes = client.get(activated["Location"])

    assert (signed["Location"], sent["Location"], asked["Location"], page.status_code) == (
        "/dashboard/", ENROL, "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2F"
        "activate%2F", 200)
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code for '
                     r'your authenticator app" width="200" height="200" id="totp-qr">', html)
    assert f'<code id="totp-secret">{secret}</code>' in html
    assert (wrong.status_code, WRONG_CODE in text(wrong)) == (200, True)
    assert (activated["Location"], codes.status_code) == ("/accounts/2fa/recovery-codes/", 200)
    unused = RecoveryCodes(Authenticator.objects.get(
        user=user, type=Authenticator.Type.RECOVERY_CODES)).get_unused_codes()
    assert len(unused) == 10
    assert all(f"<li class=\"col\">{code}</li>" in codes.content.decode() for code in unused)
    assert client.get("/dashboard/").status_code == 200


def test_two_factor_pages_have_no_inline_script_or_style(demo):
    user = staff(two_factor=False)
    client = browser()
    sign_in(client, user.email)
    confirm_password(client)
    pages = [client.get(ENROL).content.decode()]
    give_totp(user)
    RecoveryCodes.activate(user)
    pages += [client.get(path).content.decode() for path in (
        "/accounts/2fa/", "/accounts/2fa/recovery-codes/", "/accounts/2fa/recovery-codes/generate/",
        "/accounts/2fa/totp/deactivate/")]
    inline = [(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html), re.findall(r"\bstyle=", html),
               "<style" in html) for html in pages]
    assert inline == [([], [], False)] * 5


def test_enrolment_page_in_korean(demo):
    client = browser("ko")
    sign_in(client, staff(two_factor=False).email)
    confirm_password(client)
    page = text(client.get(ENROL))
    assert "인증 앱 설정" in page


def test_switching_off_sends_a_required_role_straight_back_to_enrolment(demo):
    """Moving to a new phone: switch the app off, set it up again; staff cannot stay without."""
    member = company_member()
    give_totp(member)
    results = {}
    for role, user in (("staff", staff()), ("company", member)):
        client = browser()
        sign_in(client, user.email)
        client.post(CODE_STEP, {"code": totp_code()})
        confirm_password(client)
        response = client.post("/accounts/2fa/totp/deactivate/")
        dashboard = client.get("/dashboard/")
        results[role] = (response["Location"], dashboard.get("Location", dashboard.status_code),
                         Authenticator.objects.filter(user=user).exists())
    assert results == {"staff": ("/accounts/2fa/", ENROL, False),
                       "company": ("/accounts/2fa/", 200, False)}


# --- Signing in with the second factor ---------------------------------------------------------

def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(demo):
    user = staff()
    client = browser()
    first = sign_in(client, user.email)
    pending = user_id(client)
    wrong = client.post(CODE_STEP, {"code": "000000" if totp_code() != "000000" else "111111"})
    after_wrong = user_id(client)
    right = client.post(CODE_STEP, {"code": totp_code()})

    assert (first.status_code, first["Location"], pending) == (302, CODE_STEP, None)
    assert (wrong.status_code, WRONG_CODE in text(wrong), after_wrong) == (200, True, None)
    assert (right.status_code, right["Location"], user_id(client)) == (
        302, "/dashboard/", str(user.pk))
    assert client.get("/admin/").status_code == 200


def test_code_step_page_in_korean_styled(demo):
    client = browser("ko")
    sign_in(client, staff().email)
    html = client.get(CODE_STEP).content.decode()
    assert '<html lang="ko">' in html
    assert 'id="mfa-form"' in html
    assert re.search(r'<input type="text" name="code"[^>]*class="[^"]*form-control', html)


def test_admin_sign_in_asks_for_the_code_then_opens_the_admin(demo):
    user = staff()
    client = browser()
    login_url = client.get("/admin/")["Location"]
    login_url = client.get(login_url)["Location"]
    signed = client.post(login_url, {"login": user.email, "password": PASSWORD})
    done = client.post(CODE_STEP, {"code": totp_code()})
    assert (signed["Location"], done["Location"]) == (CODE_STEP, "/admin/")


def test_a_recovery_code_signs_in_once(demo):
    user = staff()
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    first, second = browser(), browser()

    sign_in(first, user.email)
    used = first.post(CODE_STEP, {"code": code})
    sign_in(second, user.email)
    again = second.post(CODE_STEP, {"code": code})

    assert (used["Location"], user_id(first)) == ("/dashboard/", str(user.pk))
    assert (again.status_code, WRONG_CODE in text(again), user_id(second)) == (200, True, None)


def test_wrong_codes_are_limited_per_account(demo):
    user = staff()
    client = browser()
    sign_in(client, user.email)
    wrong = "000000" if totp_code() != "000000" else "111111"
    for _ in range(5):
        client.post(CODE_STEP, {"code": wrong})
    response = client.post(CODE_STEP, {"code": totp_code()})
    assert ("Too many failed sign-in attempts. Wait a few minutes, then try again."
            in text(response), user_id(client)) == (True, None)


# --- The demo ------------------------------------------------------------------------------------

def test_demo_totp_prints_the_current_code(demo, settings):
    settings.DEBUG = True
    give_totp(staff(two_factor=False), DEMO_TOTP_SECRET)
    out = StringIO()
    call_command("demo_totp", "staff@mss.test", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() in {totp_code(DEMO_TOTP_SECRET),
                                      totp_code(DEMO_TOTP_SECRET, step=1)}


def test_demo_totp_refuses_when_debug_is_off(demo, settings):
    settings.DEBUG = False
    give_totp(staff(), DEMO_TOTP_SECRET)
    with pytest.raises(CommandError) as error:
        call_command("demo_totp", "staff@mss.test", stdout=StringIO())
    assert str(error.value).startswith("demo_totp works only with DEBUG on")


def test_factories_enrol_every_role_that_must_use_two_factor(role_users):
    enrolled = {role: bool(user) and Authenticator.objects.filter(
        user=user, type="totp", data__secret=TOTP_SECRET).exists()
        for role, user in role_users.items()}
    assert enrolled == {"anonymous": False, "company": False, "other_company": False,
                        "operator_gb": True, "operator_jn": True, "reviewer": True,
                        "staff": True}
