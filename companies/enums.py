"""Choices of companies."""

from django.db import models
from django.utils.translation import pgettext_lazy


class MembershipRole(models.TextChoices):
    OWNER = "owner", pgettext_lazy("membership role", "Owner")
    MEMBER = "member", pgettext_lazy("membership role", "Member")
