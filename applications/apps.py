from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Companies and applications")

    def ready(self):
        from portal.pagecache import watch

        from .models import Supplier

        watch(Supplier)  # the public supplier pool (portal/pagecache.py)
