from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Payments and settlement")

    def ready(self):
        # Registers the acceptance receiver (an accepted agreement gets its project) and the
        # settlement notices' lookup on the notices' public verify page.
        from awards import verification

        from . import receivers, selectors  # noqa: F401

        verification.register(selectors.verified_document)
