"""Companies and their people (members, invitations) and the supplier pool."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MembershipRole
from .validators import (
    format_registration_number,
    normalise_registration_number,
    validate_registration_number,
)


class RegistrationNumberField(models.CharField):
    """A business registration number stored as its 10 digits, checked with its check digit.
    Cleaning normalises it (hyphens, full-width digits: ``portal.numbers``) before the
    validators and the uniqueness checks, wherever the model is validated (the admin too)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("validators", [validate_registration_number])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_registration_number(value) if value else value

    def formfield(self, **kwargs):
        # Typed with hyphens or spaces it is longer than the 10 digits it is stored as.
        return super().formfield(**{"max_length": 20, **kwargs})

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        if kwargs.get("max_length") == 10:
            kwargs.pop("max_length")
        return name, path, args, kwargs


class Company(models.Model):
    name = models.CharField(_("company name"), max_length=200)
    registration_number = RegistrationNumberField(_("business registration number"),
                                                  unique=True)
    representative = models.CharField(_("representative"), max_length=100)
    address = models.CharField(_("address"), max_length=300)
    region = models.ForeignKey("programs.Region", verbose_name=_("factory region"),
                               on_delete=models.PROTECT, related_name="companies")
    ksic_code = models.CharField(_("KSIC code"), max_length=10,
                                 help_text=_("Korean Standard Industrial Classification, such "
                                             "as C10 or C10791."))
    is_sme = models.BooleanField(_("SME confirmed"), default=False)
    employees = models.PositiveIntegerField(_("employees"))
    revenue = models.PositiveBigIntegerField(_("revenue last year (won)"))
    prior_support = models.BooleanField(_("received smart-factory support before"),
                                        default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name

    @property
    def registration_number_display(self):
        return format_registration_number(self.registration_number)


class Membership(models.Model):
    """A user acting for a company. An account belongs to at most one company."""

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="memberships")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices,
                            default=MembershipRole.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.company}"


class Invitation(models.Model):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.CASCADE,
                                related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["company", "-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"


class Exclusion(models.Model):
    """A registration number barred from every call until ``ends_on`` (참여제한, DOMAIN.md §9:
    3 years for false documents). Kept here, with the registration numbers, so that
    eligibility (``applications``) reads it like any other fact of a company; it is recorded
    by the post-award pages (``projects``), which sit above."""

    registration_number = RegistrationNumberField(_("business registration number"),
                                                  db_index=True)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("barred from"))
    ends_on = models.DateField(_("barred until"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")),
                                   name="exclusion_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.registration_number} ~ {self.ends_on}"

    @property
    def registration_number_display(self):
        return format_registration_number(self.registration_number)


class Supplier(models.Model):
    """A smart-factory supplier (공급기업). Public in the pool only once staff approve it."""

    name = models.CharField(_("supplier name"), max_length=200)
    registration_number = RegistrationNumberField(_("business registration number"),
                                                  unique=True)
    specialties = models.CharField(_("specialties"), max_length=300, blank=True)
    industries = models.CharField(_("industries served"), max_length=300, blank=True)
    processes = models.CharField(_("processes served"), max_length=300, blank=True)
    region = models.ForeignKey("programs.Region", verbose_name=_("region"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="suppliers")
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    past_builds = models.PositiveIntegerField(_("past smart-factory builds"), default=0)
    approved = models.BooleanField(_("approved for the pool"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self):
        return self.name
