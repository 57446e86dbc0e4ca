from urllib.parse import urlsplit

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_site(using="default", **kwargs):
    """Keep the Site row (used by feeds and allauth for absolute links) on ``SITE_URL``."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc or "localhost",
                  "name": "스마트공장 지원 포털"},
    )
    Site.objects.clear_cache()


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # The system checks, the two-factor check at sign-in, every permission (django-rules),
        # the account's language kept at sign-in.
        from . import checks, languages, mfa, permissions  # noqa: F401

        post_migrate.connect(sync_site, sender=self)
