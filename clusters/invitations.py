"""Invitations of member companies into a cluster: sent by the lead while the cluster is a
draft and the call is open, accepted by the invited company's account (or registered and
accepted in one step), cancelled by the lead."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.enums import MembershipRole
from companies.models import Company, Membership
from companies.selectors import company_of
from companies.validators import (
    format_registration_number,
    normalise_registration_number,
    validate_registration_number,
)
from outbox import services as outbox

from .enums import (
    ClusterNoticeKind,
    ClusterRole,
)
from .models import (
    Cluster,
    ClusterInvitation,
    ClusterMember,
    ClusterNotice,
)
from .services import active_cluster_member, active_count, ensure_editable


def invite_member(cluster: Cluster, *, user, registration_number: str, email: str,
                  now=None) -> ClusterInvitation:
    """Invite a company (by registration number) at ``email``; the email carries a link."""
    ensure_editable(cluster, now)
    digits = normalise_registration_number(registration_number)
    try:
        validate_registration_number(digits)
    except ValidationError as error:
        raise ValidationError({"registration_number": error.messages}) from error
    if digits == cluster.lead_company.registration_number:
        raise ValidationError({"registration_number": _(
            "This is the lead company's own registration number: the lead company is already "
            "in the cluster.")})
    existing = active_cluster_member(cluster.call, digits)
    if existing is not None and existing.cluster_id == cluster.pk:
        raise ValidationError({"registration_number": _(
            "This company is already a member of the cluster.")})
    if existing is not None:
        raise ValidationError({"registration_number": _(
            "The company %(number)s is already in another cluster for this call.")
            % {"number": format_registration_number(digits)}})
    if cluster.invitations.filter(registration_number=digits, accepted_at__isnull=True,
                                  cancelled_at__isnull=True).exists():
        raise ValidationError({"registration_number": _(
            "This company has already been invited. Cancel that invitation to send a new "
            "one.")})
    with transaction.atomic():
        invitation = ClusterInvitation.objects.create(
            cluster=cluster, registration_number=digits, email=email.strip(), invited_by=user)
        _send_invitation(invitation.pk)
    return invitation


def invitation_url(invitation: ClusterInvitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("clusters:invitation",
                                                   args=[invitation.token])


def _send_invitation(invitation_pk: int) -> None:
    invitation = (ClusterInvitation.objects.select_related("cluster__lead_company",
                                                           "cluster__call")
                  .get(pk=invitation_pk))
    cluster = invitation.cluster
    context = {"invitation": invitation, "cluster": cluster, "url": invitation_url(invitation)}
    outbox.enqueue_email(
        to=[invitation.email],
        subject=_("[Smart factory cluster] %(lead)s invites your company to the cluster "
                  "“%(cluster)s”") % {"lead": cluster.lead_company.name, "cluster": cluster.name},
        body=render_to_string("clusters/email/invitation.txt", context))


def cancel_invitation(invitation: ClusterInvitation, *, user, now=None) -> ClusterInvitation:
    ensure_editable(invitation.cluster, now)
    if invitation.is_open:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
    return invitation


def invitation_problem(invitation: ClusterInvitation, user) -> str | None:
    """Why ``user`` cannot accept ``invitation`` as things are, or None."""
    if invitation.accepted_at is not None:
        return _("This invitation has already been accepted.")
    if invitation.cancelled_at is not None:
        return _("This invitation was cancelled by the lead company.")
    if (user.email or "").strip().lower() != invitation.email.strip().lower():
        return _("This invitation was sent to %(email)s. Sign in with that address to accept "
                 "it.") % {"email": invitation.email}
    company = company_of(user)
    number = format_registration_number(invitation.registration_number)
    if company is not None and company.registration_number != invitation.registration_number:
        return _("Your account acts for %(company)s, but the invitation is for the company "
                 "%(number)s.") % {"company": company.name, "number": number}
    if company is None and Company.objects.filter(
            registration_number=invitation.registration_number).exists():
        return _("The company %(number)s is already registered on the portal. Ask one of its "
                 "members to add your account to the company, then open this invitation "
                 "again.") % {"number": number}
    return None


def accept_invitation(invitation: ClusterInvitation, *, user, now=None) -> ClusterMember:
    """The invited company joins the cluster, accepted by a user acting for it."""
    problem = invitation_problem(invitation, user)
    if problem:
        raise ValidationError(problem, code="invitation")
    company = company_of(user)
    if company is None:
        raise ValidationError(_("Register your company first."), code="no_company")
    with transaction.atomic():
        cluster = Cluster.objects.select_for_update(of=("self",)).select_related("call").get(
            pk=invitation.cluster_id)
        ensure_editable(cluster, now)
        existing = active_cluster_member(cluster.call, company.registration_number)
        if existing is not None:
            raise ValidationError(
                _("%(company)s is already in the cluster “%(cluster)s” for this call.")
                % {"company": company.name, "cluster": existing.cluster.name},
                code="already_in_cluster")
        try:
            with transaction.atomic():
                member = ClusterMember.objects.create(
                    cluster=cluster, call=cluster.call, company=company,
                    role=ClusterRole.MEMBER, joined_by=user)
        except IntegrityError as exc:
            raise ValidationError(
                _("%(company)s is already in a cluster for this call.")
                % {"company": company.name}, code="already_in_cluster") from exc
        invitation.accepted_at = timezone.now()
        invitation.member = member
        invitation.save(update_fields=["accepted_at", "member"])
        ClusterNotice.objects.create(cluster=cluster, kind=ClusterNoticeKind.MEMBER_JOINED,
                                     company_name=company.name,
                                     active_members=active_count(cluster))
    return member


@transaction.atomic
def register_company_and_accept(invitation: ClusterInvitation, company: Company, *, user,
                                now=None) -> ClusterMember:
    """A user with no company registers the invited company (as its owner), then accepts."""
    if company_of(user) is not None:
        raise ValidationError(_("Your account already acts for a company."), code="has_company")
    company.registration_number = invitation.registration_number
    company.full_clean()
    company.save()
    user.membership = Membership.objects.create(company=company, user=user,
                                                role=MembershipRole.OWNER)
    return accept_invitation(invitation, user=user, now=now)
