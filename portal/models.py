from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A portal account. Roles come from what the account is bound to:

    - ministry staff: ``is_staff``;
    - regional operator: ``region`` is set (an operator acts for that one region only);
    - reviewer: has a ``reviews.ReviewerProfile``;
    - company member: has an ``applications.Membership``.
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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email or self.username

    @property
    def is_operator(self):
        return self.region_id is not None
