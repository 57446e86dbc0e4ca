from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Agreements and projects")

    def ready(self):
        # Registers the notice receiver (agreements open when a selection notice is issued)
        # and the emails' after-sent handlers.
        from awards import verification

        from . import receivers, selectors, services  # noqa: F401

        verification.register(selectors.verified_document)
