from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-up and what an account agrees to: the allauth adapter, the sign-up form (name and
    consents), the versioned consent texts and the consent records."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import middleware  # noqa: F401 - connects the consent check at sign-in
        from .texts import ensure_first_version

        post_migrate.connect(ensure_first_version, sender=self)
