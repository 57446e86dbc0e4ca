from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Open API")

    def ready(self):
        from . import cache  # noqa: F401  (a change of public data empties the API's cache)
