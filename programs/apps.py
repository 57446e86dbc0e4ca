from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes and calls")

    def ready(self):
        from portal.pagecache import watch

        from . import models

        # What the public pages show of the programmes (portal/pagecache.py).
        watch(models.Announcement, models.AnnouncementAttachment, models.Call, models.Track,
              models.FundingShare, models.BudgetLine, models.LinkedProgramme, models.Event,
              models.Region, models.Programme)
