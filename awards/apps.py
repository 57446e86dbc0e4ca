from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards and notices")

    def ready(self):
        from . import services  # noqa: F401  (registers the notice email's after-sent handler)
