"""Saved searches of the announcement list and the alerts sent for them.

A saved search holds the list's filters as the list's own query parameters (region code,
sector, programme code, status, search words). Each announcement is emailed to a saved search
at most once, whatever runs twice: ``AlertDelivery`` is unique per search and announcement,
and a weekly digest is unique per search and week.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Frequency

FILTER_KEYS = ("region", "sector", "programme", "status", "q")


class SavedSearch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=100)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices,
                                 default=Frequency.IMMEDIATE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class Digest(models.Model):
    """One weekly digest of a saved search: at most one a week (ISO week's Monday)."""

    search = models.ForeignKey(SavedSearch, verbose_name=_("saved search"),
                               on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(_("week (Monday)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["search", "-week"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["search", "week"], name="digest_one_per_week"),
        ]

    def __str__(self):
        return f"{self.search_id} · {self.week}"


class AlertDelivery(models.Model):
    """An announcement emailed to a saved search (alone, or in ``digest``)."""

    search = models.ForeignKey(SavedSearch, verbose_name=_("saved search"),
                               on_delete=models.CASCADE, related_name="deliveries")
    announcement = models.ForeignKey("programs.Announcement", verbose_name=_("announcement"),
                                     on_delete=models.CASCADE, related_name="+")
    digest = models.ForeignKey(Digest, verbose_name=_("digest"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["search", "-created_at"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(fields=["search", "announcement"],
                                    name="alert_delivery_once_per_announcement"),
        ]

    def __str__(self):
        return f"{self.search_id} · {self.announcement_id}"
