"""Published selection results (선정 결과 공고) of a confirmed award run.

What is published is frozen when staff publish it (``data``): per track the receipt numbers
(and, when the call's announcement says so, the company names) of the selected and waitlisted
applications, the number of applications, the cut-off and the budget used per funding source.
A later promotion or correction never changes a published page silently.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedResult(models.Model):
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="published_results")
    run = models.OneToOneField("awards.AwardRun", verbose_name=_("award run"),
                               on_delete=models.PROTECT, related_name="published_result")
    show_company_names = models.BooleanField(
        _("company names shown"), default=False,
        help_text=_("Only when the call's announcement says the names are published."))
    data = models.JSONField(_("published figures"), default=dict)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), db_index=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    def __str__(self):
        return f"{self.call} · {self.published_at:%Y-%m-%d}"

    def title(self):
        return self.data.get("call", {}).get("title", "")
