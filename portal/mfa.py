"""Two-factor authentication (allauth's ``mfa``: TOTP with recovery codes) and the admin's
sign-in.

Everyone who handles others' data — ministry staff, regional operators, reviewers, and any
later role named in ``settings.TWO_FACTOR_REQUIRED_FOR`` (an inspector, for example) — must
enrol an authenticator app before opening any page: ``TwoFactorEnrolmentMiddleware`` sends
such a user without an active TOTP authenticator to the enrolment page. Companies may enrol.
Enrolled users are asked for the code at sign-in by allauth itself.

The Django admin has no password form of its own: ``admin_login`` sends it to allauth's
sign-in page, so the admin gets the same rate limits and the same two-factor step.
"""

import io
import time
from urllib.parse import urlencode

import segno
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# The pages an unenrolled user who must enrol still reaches: the enrolment itself (with the
# password confirmation allauth asks for first, and the two-factor overview it falls back to),
# email confirmation, sign-out and the language switch.
ENROLMENT_VIEWS = frozenset({
    "mfa_activate_totp", "mfa_index", "account_reauthenticate", "account_logout",
    "account_email_verification_sent", "account_confirm_email", "set_language",
})
# A session that passed the check is not checked again for this many seconds, so pages pay no
# query for it; a role granted or an authenticator removed meanwhile counts after at most this.
RECHECK_SECONDS = 300
SESSION_KEY = "portal.two_factor_checked_until"


def requires_two_factor(user) -> bool:
    """True when ``user`` must use two-factor authentication: any predicate named in
    ``settings.TWO_FACTOR_REQUIRED_FOR`` (staff, operators, reviewers…) holds for it."""
    if not (user and user.is_authenticated):
        return False
    return any(import_string(path)(user) for path in settings.TWO_FACTOR_REQUIRED_FOR)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def _satisfied(user) -> bool:
    return not requires_two_factor(user) or has_totp(user)


def _remember(session):
    session[SESSION_KEY] = time.time() + RECHECK_SECONDS


def enrolment_satisfied(request) -> bool:
    """The signed-in user needs no authenticator, or has one (remembered in the session)."""
    if request.session.get(SESSION_KEY, 0) > time.time():
        return True
    if not _satisfied(request.user):
        return False
    _remember(request.session)
    return True


@receiver(user_logged_in, dispatch_uid="portal.mfa.check_at_sign_in")
def check_at_sign_in(sender, request, user, **kwargs):
    """Checked once at sign-in, so the pages that follow cost no query for it."""
    if request is not None and hasattr(request, "session") and _satisfied(user):
        _remember(request.session)


@receiver(authenticator_removed, dispatch_uid="portal.mfa.check_after_removal")
def check_after_removal(sender, request, **kwargs):
    """Switching the app off (to move to a new phone) is checked again at once: a role that
    must use two-factor authentication goes straight to the enrolment."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)


class TwoFactorEnrolmentMiddleware:
    """Sends a signed-in user who must use two-factor authentication but has no authenticator
    app yet to the enrolment page, from every page but ``ENROLMENT_VIEWS`` and static files
    (an HTMX request is told to load the page whole)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ENROLMENT_VIEWS:
            return None
        if not request.user.is_authenticated or enrolment_satisfied(request):
            return None
        url = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class MFAAdapter(DefaultMFAAdapter):
    """The portal's messages, and QR codes drawn with segno (which the notices use already)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("The code is not correct. Enter the current code of your "
                            "authenticator app, or one of your recovery codes."),
        "unverified_email": _("Confirm your email address before you set up two-factor "
                              "authentication."),
        "cannot_generate_recovery_codes": _(
            "Set up an authenticator app before you create recovery codes."),
        "add_email_blocked": _("Your account is protected by two-factor authentication: "
                               "ask ministry staff to change its email address."),
    }

    def build_totp_svg(self, url: str) -> str:
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False,
                                        dark="#000", light="#fff")
        return buffer.getvalue().decode("utf-8")


def admin_login(request):
    """The admin's login URL: allauth's sign-in page (rate limits, two-factor step), then back
    to the admin page asked for. A password posted here signs nobody in. Staff already signed
    in go straight on; anyone else signed in gets 404, as elsewhere in the portal."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise Http404
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")


def dashboard_sections(request):
    """Every signed-in user's account links (two-factor authentication, password)."""
    return [{"template": "account/_dashboard_account.html"}]
