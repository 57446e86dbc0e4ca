"""django-allauth adapted to the portal: its own translated messages (wrong password, the
login rate limit) and email subjects prefixed with the portal's name, not the site domain."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


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

    def format_email_subject(self, subject):
        return f"[{_('Smart Factory Support Portal')}] {subject}"
