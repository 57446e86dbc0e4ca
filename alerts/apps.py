from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("Saved searches and alerts")

    def ready(self):
        from . import signals  # noqa: F401  (an announcement published queues its alerts)
