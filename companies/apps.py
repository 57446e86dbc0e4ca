from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Companies and suppliers")

    def ready(self):
        from portal.pagecache import watch

        from .models import Supplier

        watch(Supplier)  # the public supplier pool (portal/pagecache.py)
