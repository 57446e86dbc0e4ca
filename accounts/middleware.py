"""A new version of the consent texts asks existing users again at their next sign-in: the
sign-in marks the session when the user's consent is due (``accounts.services.consent_due``),
and until the user agrees every page leads to the consent page, which returns to where the user
was going. Signing out, the consent page itself, the language switch and static files stay
open."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .services import consent_due

SESSION_KEY = "accounts_consent_due"


@receiver(user_logged_in)
def mark_consent_due(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    version = consent_due(user)
    if version is not None:
        request.session[SESSION_KEY] = version.number
    else:
        request.session.pop(SESSION_KEY, None)


class ConsentMiddleware:
    OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/", "/accounts/consent/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (SESSION_KEY in request.session and request.user.is_authenticated
                and not request.path.startswith(self.OPEN_PREFIXES)):
            target = reverse("accounts:consent")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
