from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Payments and settlement")

    def ready(self):
        # The settlement notices' verification codes are checked on the notices' public
        # verify page.
        from awards import verification

        from . import selectors

        verification.register(selectors.verified_document)
