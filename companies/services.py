"""Writes of companies, their members and invitations, and the supplier pool."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import notifications
from .enums import MembershipRole
from .models import Company, Invitation, Membership, Supplier
from .validators import format_registration_number, validate_registration_number


def already_registered_error(registration_number: str) -> ValidationError:
    return ValidationError(
        _("A company with the business registration number %(number)s is already registered "
          "on the portal. To act for it, ask one of its members to invite you: members invite "
          "colleagues by email from the company page.")
        % {"number": format_registration_number(registration_number)},
        code="registered",
    )


def register_company(user, **fields) -> Company:
    """Register a company with ``user`` as its owner. The portal never holds two companies
    with one registration number (unique constraint; the error explains how to join)."""
    if Membership.objects.filter(user=user).exists():
        raise ValidationError(_("Your account already belongs to a company."), code="member")
    number = fields["registration_number"]
    if Company.objects.filter(registration_number=number).exists():
        raise already_registered_error(number)
    try:
        with transaction.atomic():
            company = Company.objects.create(**fields)
            Membership.objects.create(company=company, user=user, role=MembershipRole.OWNER)
    except IntegrityError as exc:
        raise already_registered_error(number) from exc
    return company


def update_company(company: Company, **fields) -> Company:
    for name, value in fields.items():
        setattr(company, name, value)
    company.save(update_fields=list(fields))
    return company


def invitation_valid_days() -> int:
    return getattr(settings, "INVITATION_VALID_DAYS", 14)


def invite_member(company: Company, email: str, *, invited_by) -> Invitation:
    """Invite ``email`` to act for ``company``; the link is emailed after the commit. A second
    invitation to the same address sends the pending one again."""
    email = email.strip().lower()
    if company.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member of the company.")
                              % {"email": email}, code="member")
    with transaction.atomic():
        invitation = (company.invitations.filter(email__iexact=email, accepted_at__isnull=True)
                      .first())
        if invitation is None:
            invitation = Invitation.objects.create(company=company, email=email,
                                                   invited_by=invited_by)
        notifications.enqueue_invitation(invitation, translation.get_language())
    return invitation


def accept_invitation(invitation: Invitation, user, now=None) -> Membership:
    """Make ``user`` a member of the inviting company. The account's email must be the one
    invited; an account belongs to at most one company; a link works once."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been used."), code="used")
        if invitation.created_at + timedelta(days=invitation_valid_days()) < now:
            raise ValidationError(_("This invitation has expired. Ask the company for a new "
                                    "one."), code="expired")
        if (user.email or "").lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept "
                  "it.") % {"email": invitation.email}, code="email")
        existing = Membership.objects.filter(user=user).select_related("company").first()
        if existing is not None:
            if existing.company_id == invitation.company_id:
                raise ValidationError(_("You are already a member of this company."),
                                      code="member")
            raise ValidationError(
                _("Your account already acts for %(company)s; an account belongs to one "
                  "company only.") % {"company": existing.company.name}, code="other_company")
        membership = Membership.objects.create(company=invitation.company, user=user,
                                               role=MembershipRole.MEMBER)
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def check_supplier(supplier: Supplier | None, name: str, registration_number: str) -> None:
    """A pool supplier (approved), or one outside the pool named with a valid number."""
    if supplier is not None:
        if not supplier.approved:
            raise ValidationError({"supplier": _("This supplier is not in the pool yet.")})
        return
    errors = {}
    if not (name or "").strip():
        errors["supplier_name"] = _("Name the supplier, or choose one from the pool.")
    if not registration_number:
        errors["supplier_registration_number"] = _(
            "A supplier outside the pool must be named with its business registration "
            "number.")
    if errors:
        raise ValidationError(errors)
    validate_registration_number(registration_number)


def register_supplier(supplier: Supplier, *, user) -> Supplier:
    """Save a supplier registered by a signed-in user; it waits for staff approval."""
    supplier.created_by = user if user.is_authenticated else None
    supplier.approved = False
    supplier.save()
    return supplier


def approve_supplier(supplier: Supplier, *, user) -> Supplier:
    """Staff approve a supplier: from now on it is public in the pool."""
    if not user.is_staff:
        raise ValidationError(_("Only ministry staff approve suppliers."), code="forbidden")
    if not supplier.approved:
        supplier.approved = True
        supplier.save(update_fields=["approved"])
    return supplier
