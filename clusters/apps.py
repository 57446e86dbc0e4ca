from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Clusters")

    def ready(self):
        from applications import kinds

        from . import selectors
        from .enums import KIND

        # Applications that represent a cluster are shown, screened and checked by the
        # cluster's rules (applications/kinds.py).
        kinds.register(KIND, version_display=selectors.cluster_version_display,
                       eligibility_failures=selectors.cluster_eligibility_failures)
