from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-up and what an account agrees to: the allauth adapter, the sign-up form (name and
    consents), the versioned consent texts and the consent records."""

    name = "accounts"
    verbose_name = _("Accounts")
