"""django-allauth adapted to the portal: its own translated messages (wrong password, the
login rate limit), email subjects prefixed with the portal's name, not the site domain, and its
emails (verification, password reset) sent through the outbox like every other."""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from outbox import services as outbox


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Wait a few minutes, then try again."),
        "email_password_mismatch": _("The email address or the password is not correct."),
        "email_taken": _("An account with this email address already exists. Sign in, or "
                         "reset your password if you have forgotten it."),
        "rate_limited": _("Too many requests. Wait a moment, then try again."),
        "account_inactive": _("This account is inactive. Contact the operating agency."),
    }

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The confirmation link carries where the user was going when signing up (the
        sign-up form's ``next``: an application form, an invitation), so that confirming, then
        signing in, leads there, in this browser or another."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        target = (request.POST.get("next") or request.GET.get("next") or "") if request else ""
        if target and self.is_safe_url(target):
            url += "?" + urlencode({"next": target})
        return url

    def format_email_subject(self, subject):
        return f"[{_('Smart Factory Support Portal')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        """Rendered now, in the request's language; written to the outbox and sent after the
        commit (at once when no transaction is open)."""
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", [])
                     if mimetype == "text/html"), None)
        outbox.enqueue_email(to=message.to, subject=message.subject, body=message.body,
                             html=html)
