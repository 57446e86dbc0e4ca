import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal account. Roles come from what the account is bound to:

    - ministry staff: ``is_staff``;
    - regional operator: ``region`` is set (an operator acts for that one region only);
    - reviewer: has a ``reviews.ReviewerProfile``;
    - company member: has a ``companies.Membership``.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    region = models.ForeignKey(
        "programs.Region",
        verbose_name=_("operated region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operators",
        help_text=_("Set only for a regional operator: the one region this account acts for."),
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES,
        help_text=_("The language of the portal's emails to this account: the one it last "
                    "signed in or switched to."))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email or self.username

    @property
    def is_operator(self):
        return self.region_id is not None

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class AuditRow(models.Model):
    """What every audit row records besides what happened: who did it, why, and when.

    Subclasses add the object and the change (an application's state change, a cluster's, a
    review assignment's event); each is written in the same transaction as the change."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True


def stored_file_path(instance, filename):
    """Files are stored under a random name in their owner's folder (``upload_folder``)."""
    return f"{instance.upload_folder()}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """What every uploaded file records: the file (never under a public URL: each is
    downloaded through a permission-checked view), its name as uploaded, its sniffed type and
    size, who uploaded it and when. Subclasses add what the file belongs to and ``upload_to``."""

    file = models.FileField(_("file"), upload_to=stored_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
