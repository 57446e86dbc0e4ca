"""What an account agrees to: the versioned consent texts staff publish, and each user's
consent to one of them (개인정보 수집·이용 동의, required; marketing messages, optional)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentVersionQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_at__lte=now or timezone.now())

    def current(self):
        """The version in force: the newest published one (None before any is published)."""
        return self.published().order_by("-number").first()


class ConsentVersion(models.Model):
    """One version of the consent texts shown at sign-up. Staff add a new version in the admin
    rather than editing a published one; publishing it (its date reached) asks every user who
    agreed to an earlier version again at their next sign-in."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    items = models.TextField(_("items collected"))
    items_en = models.TextField(_("items collected (English)"), blank=True)
    purpose = models.TextField(_("purpose of collection and use"))
    purpose_en = models.TextField(_("purpose (English)"), blank=True)
    retention = models.TextField(_("retention period"))
    retention_en = models.TextField(_("retention period (English)"), blank=True)
    refusal = models.TextField(_("right to refuse and its consequence"))
    refusal_en = models.TextField(_("right to refuse (English)"), blank=True)
    marketing = models.TextField(_("optional marketing consent"))
    marketing_en = models.TextField(_("optional marketing consent (English)"), blank=True)
    published_at = models.DateTimeField(
        _("in force from"), null=True, blank=True,
        help_text=_("Empty: a draft. From this date on, sign-up shows this version and users "
                    "who agreed to an earlier one are asked again at their next sign-in."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ConsentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("consent text version")
        verbose_name_plural = _("consent text versions")

    def __str__(self):
        return _("Consent text version %(number)s") % {"number": self.number}


class ConsentRecord(models.Model):
    """A user's consent to one version: the required consent to the collection and use of
    personal information (always given: an account is not made or kept without it) and the
    optional marketing consent, with the date."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="consents")
    version = models.ForeignKey(ConsentVersion, verbose_name=_("version"),
                                on_delete=models.PROTECT, related_name="records")
    personal_information = models.BooleanField(
        _("agreed to the collection and use of personal information"), default=True)
    marketing = models.BooleanField(_("agreed to marketing messages"), default=False)
    agreed_at = models.DateTimeField(_("agreed at"), default=timezone.now)

    class Meta:
        ordering = ["-agreed_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="one_consent_per_version"),
            models.CheckConstraint(condition=models.Q(personal_information=True),
                                   name="consent_required_part_given"),
        ]

    def __str__(self):
        return f"{self.user} · v{self.version.number}"
