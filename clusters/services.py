"""Writes of clusters and the supplier pool.

Every change of a cluster's state goes through ``change_cluster_status``: it checks the move,
saves with ``update_fields``, writes the audit row in the same transaction and queues emails
after the commit. The cluster's ``Application`` (what reviewers score and awards read) is kept
in step through ``applications.services.transition`` — never by editing its status.

Choices made here (see the README):
- A cluster is editable (shared part, invitations, members' parts) only in draft and only while
  the call's window is open. After the deadline everything is read-only.
- Submitting needs at least ``track.min_members`` accepted members, every one with a complete
  part. The first submission creates the lead company's Application on the cluster track and
  gives it the receipt number; each submission freezes a PlanVersion of the shared part and
  every member's part.
- When the cluster goes back to draft (the lead withdraws the submission, or a member leaves
  and fewer than ``min_members`` remain) its Application is moved to *withdrawn*; a later
  submission moves it withdrawn → draft → submitted, with the same receipt number and a new
  version. A member that leaves while enough remain makes a new version at once.
- A member may leave until the deadline, but not once staff have started screening the
  cluster's application (its status is past *submitted*).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import ApplicationStatus
from applications.models import Application, BonusClaim, BusinessPlan, PlanVersion
from applications.services import allocate_receipt_number, transition
from companies.enums import MembershipRole
from companies.models import Company, Membership
from companies.selectors import company_of, supplier_snapshot
from companies.services import check_supplier
from companies.validators import (
    format_registration_number,
    normalise_registration_number,
    validate_registration_number,
)
from outbox import services as outbox
from portal.numbers import MAX_WON
from portal.state import change_state
from portal.templatetags.portal_tags import won
from portal.timezone import korea_time
from programs.enums import CallStatus, TrackKind
from programs.models import BonusItem, Call, Track
from programs.money import Support, TrackRules, compute_support, minimum_cash

from .enums import (
    CLUSTER_TRANSITIONS,
    KIND,
    ClusterDocumentKind,
    ClusterNoticeKind,
    ClusterRole,
    ClusterStatus,
)
from .models import (
    Cluster,
    ClusterDocument,
    ClusterInvitation,
    ClusterMember,
    ClusterNotice,
    ClusterStateChange,
)

PRIORITY_BONUS_CODE = "regulation"  # the bonus item of the cluster programme's priority


class ClusterTransitionNotAllowed(ValidationError):
    pass


# --- Small checks shared by the services and the forms -------------------------------------

def cluster_track(call: Call) -> Track | None:
    """The call's cluster track (a cluster call has one)."""
    return call.tracks.filter(kind=TrackKind.CLUSTER).order_by("order").first()


def ensure_window_open(call: Call, now=None) -> None:
    status = call.status(now)
    if status == CallStatus.CLOSED:
        raise ValidationError(
            _("The application period closed on %(closed)s (Korea time). The cluster can no "
              "longer be changed.") % {"closed": korea_time(call.closes_at)},
            code="closed")
    if status == CallStatus.UPCOMING:
        raise ValidationError(
            _("The application period opens on %(opens)s (Korea time).")
            % {"opens": korea_time(call.opens_at)},
            code="upcoming")


def ensure_editable(cluster: Cluster, now=None) -> None:
    """Draft and inside the window, or a clear reason why not."""
    ensure_window_open(cluster.call, now)
    if cluster.status != ClusterStatus.DRAFT:
        raise ValidationError(
            _("The cluster has been submitted and can no longer be changed. The lead company "
              "can withdraw the submission to change it before the deadline."),
            code="submitted")






def part_support(rules: TrackRules, cost: int) -> Support:
    return compute_support(rules, cost)


def part_problems(*, rules: TrackRules, min_cash_share: Decimal, cost, cash, in_kind,
                  priority_claim=False, priority_evidence="", has_evidence_file=False
                  ) -> dict[str, str]:
    """What is wrong with a member's part, by field; empty when it is complete.

    Cost: more than zero, at most 1,000,000,000,000 won. Contribution: cash + in-kind equals
    cost − support (support from the track rules), cash at least the call's minimum share.
    """
    problems: dict[str, str] = {}
    if cost is None:
        problems["cost"] = _("Enter this company's cost for the system.")
    elif cost <= 0:
        problems["cost"] = _("The cost must be more than zero won.")
    elif cost > MAX_WON:
        problems["cost"] = _("The cost can be at most %(max)s.") % {"max": won(MAX_WON)}
    for name, value in (("contribution_cash", cash), ("contribution_in_kind", in_kind)):
        if value is None:
            problems[name] = _("Enter an amount (0 if none).")
        elif value < 0:
            problems[name] = _("The amount cannot be negative.")
        elif value > MAX_WON:
            problems[name] = _("The amount can be at most %(max)s.") % {"max": won(MAX_WON)}
    if priority_claim and not (priority_evidence or "").strip() and not has_evidence_file:
        problems["priority_evidence"] = _(
            "Describe how government regulation or a policy change hurt the company, or "
            "attach evidence.")
    if problems:
        return problems
    support = part_support(rules, cost)
    contribution = support.contribution
    if cash + in_kind != contribution:
        problems["contribution_in_kind"] = _(
            "With a cost of %(cost)s the support is %(support)s, so the company contributes "
            "%(contribution)s: cash and in-kind must add up to that (they add up to "
            "%(sum)s).") % {"cost": won(cost), "support": won(support.total),
                            "contribution": won(contribution), "sum": won(cash + in_kind)}
    least = minimum_cash(contribution, min_cash_share)
    if cash < least:
        problems["contribution_cash"] = _(
            "At least %(share)s of the contribution must be paid in cash: %(least)s or "
            "more.") % {"share": f"{(Decimal(min_cash_share) * 100).normalize():f}%",
                        "least": won(least)}
    return problems


def member_part_problems(member: ClusterMember, rules: TrackRules) -> dict[str, str]:
    has_file = any(d.kind == ClusterDocumentKind.PRIORITY_EVIDENCE
                   for d in member.documents.all())
    return part_problems(
        rules=rules, min_cash_share=member.cluster.call.min_cash_share, cost=member.cost,
        cash=member.contribution_cash, in_kind=member.contribution_in_kind,
        priority_claim=member.priority_claim, priority_evidence=member.priority_evidence,
        has_evidence_file=has_file)


# --- The one state-change service ----------------------------------------------------------

def change_cluster_status(cluster: Cluster, to_status: str, *, actor=None, reason: str = "",
                          fields: dict | None = None,
                          on_commit: Callable[[], None] | None = None) -> Cluster:
    """Move ``cluster`` to ``to_status`` as ``actor``; the one way a cluster's status changes.

    ``fields`` are other attributes saved with it; ``on_commit`` runs after the commit.
    """
    return change_state(
        cluster, to_status, choices=ClusterStatus, transitions=CLUSTER_TRANSITIONS,
        audit_model=ClusterStateChange, audit_field="cluster",
        refused=ClusterTransitionNotAllowed,
        refusal=_("A cluster cannot go from “%(from)s” to “%(to)s”."), actor=actor,
        reason=reason, fields=fields, on_commit=on_commit)


# --- Supplier pool -------------------------------------------------------------------------


# --- Opening a cluster and its shared part -------------------------------------------------



def _active_cluster_member(call: Call, registration_number: str):
    return (ClusterMember.objects.filter(call=call, withdrawn_at__isnull=True,
                                         company__registration_number=registration_number)
            .select_related("cluster").first())


SHARED_FIELDS = ("name", "shared_process", "supplier", "supplier_name",
                 "supplier_registration_number", "common_system", "system_scope")


def _clean_shared(data: dict) -> dict:
    data = {name: data.get(name) for name in SHARED_FIELDS}
    data["supplier_registration_number"] = normalise_registration_number(
        data.get("supplier_registration_number") or "")
    if data.get("supplier") is not None:
        # A pool supplier is identified by the pool: the free-text fields stay empty.
        data["supplier_name"] = ""
        data["supplier_registration_number"] = ""
    check_supplier(data.get("supplier"), data.get("supplier_name") or "",
                   data["supplier_registration_number"])
    return data


def open_cluster(*, user, call: Call, now=None, **shared) -> Cluster:
    """The user's company opens a cluster for ``call`` as its lead company."""
    company = company_of(user)
    if company is None:
        raise ValidationError(_("Register your company before opening a cluster."),
                              code="no_company")
    track = cluster_track(call)
    if track is None:
        raise ValidationError({"call": _("This call has no cluster track.")})
    ensure_window_open(call, now)
    data = _clean_shared(shared)
    existing = _active_cluster_member(call, company.registration_number)
    if existing is not None:
        raise ValidationError(
            _("%(company)s is already in the cluster “%(cluster)s” for this call.")
            % {"company": company.name, "cluster": existing.cluster.name},
            code="already_in_cluster")
    if Application.objects.filter(company=company, call=call).exists():
        raise ValidationError(
            _("%(company)s already has an application for this call.")
            % {"company": company.name}, code="has_application")
    try:
        with transaction.atomic():
            cluster = Cluster.objects.create(call=call, track=track, lead_company=company,
                                             created_by=user, **data)
            ClusterMember.objects.create(cluster=cluster, call=call, company=company,
                                         role=ClusterRole.LEAD, joined_by=user)
    except IntegrityError as exc:
        raise ValidationError(
            _("%(company)s is already in a cluster for this call.") % {"company": company.name},
            code="already_in_cluster") from exc
    return cluster


def update_shared_part(cluster: Cluster, *, user, now=None, **shared) -> Cluster:
    ensure_editable(cluster, now)
    data = _clean_shared(shared)
    for name, value in data.items():
        setattr(cluster, name, value)
    cluster.save(update_fields=[*data, "updated_at"])
    return cluster


def add_shared_document(cluster: Cluster, *, user, upload, mime: str, now=None):
    ensure_editable(cluster, now)
    return ClusterDocument.objects.create(
        cluster=cluster, kind=ClusterDocumentKind.SHARED, file=upload,
        original_name=upload.name[:255], content_type=mime, size=upload.size,
        uploaded_by=user)


# --- Invitations ---------------------------------------------------------------------------

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
    existing = _active_cluster_member(cluster.call, digits)
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
        existing = _active_cluster_member(cluster.call, company.registration_number)
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
                                     active_members=_active_count(cluster))
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


# --- Members' parts ------------------------------------------------------------------------

def save_member_part(member: ClusterMember, *, user, cost, contribution_cash,
                     contribution_in_kind, priority_claim=False, priority_evidence="",
                     evidence=None, evidence_mime="", now=None) -> ClusterMember:
    """Save a member's own part; it is complete when every rule holds (else ValidationError,
    by field, and nothing is saved)."""
    cluster = member.cluster
    ensure_editable(cluster, now)
    if member.withdrawn_at is not None:
        raise ValidationError(_("This company has left the cluster."), code="withdrawn")
    rules = TrackRules.for_track(cluster.track)
    has_file = evidence is not None or member.documents.filter(
        kind=ClusterDocumentKind.PRIORITY_EVIDENCE).exists()
    problems = part_problems(
        rules=rules, min_cash_share=cluster.call.min_cash_share, cost=cost,
        cash=contribution_cash, in_kind=contribution_in_kind, priority_claim=priority_claim,
        priority_evidence=priority_evidence, has_evidence_file=has_file)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        member.cost = cost
        member.contribution_cash = contribution_cash
        member.contribution_in_kind = contribution_in_kind
        member.priority_claim = bool(priority_claim)
        member.priority_evidence = (priority_evidence or "").strip() if priority_claim else ""
        member.part_completed_at = timezone.now()
        member.part_updated_by = user
        member.save(update_fields=["cost", "contribution_cash", "contribution_in_kind",
                                   "priority_claim", "priority_evidence", "part_completed_at",
                                   "part_updated_by"])
        if evidence is not None:
            ClusterDocument.objects.create(
                cluster=cluster, member=member, kind=ClusterDocumentKind.PRIORITY_EVIDENCE,
                file=evidence, original_name=evidence.name[:255], content_type=evidence_mime,
                size=evidence.size, uploaded_by=user)
    return member


# --- Submission ----------------------------------------------------------------------------

def _active_count(cluster: Cluster) -> int:
    return cluster.members.filter(withdrawn_at__isnull=True).count()


def shared_problems(cluster: Cluster) -> list[str]:
    problems = []
    for name in ("name", "shared_process", "common_system", "system_scope"):
        if not (getattr(cluster, name) or "").strip():
            problems.append(_("The shared part is missing: %(field)s.")
                            % {"field": Cluster._meta.get_field(name).verbose_name})
    if cluster.supplier_id is None and not cluster.supplier_registration_number:
        problems.append(_("The shared part is missing: the supplier."))
    elif cluster.supplier_id is not None and not cluster.supplier.approved:
        problems.append(_("The chosen supplier is not in the pool."))
    return problems


def submission_problems(cluster: Cluster, members=None) -> list[str]:
    """Why the cluster cannot be submitted now (shared part, members, parts), or []."""
    members = list(members if members is not None else active_members(cluster))
    problems = shared_problems(cluster)
    rules = TrackRules.for_track(cluster.track)
    incomplete = [m.company.name for m in members
                  if not m.part_complete or member_part_problems(m, rules)]
    problems.extend(member_eligibility_problems(cluster.call, members))
    if incomplete:
        problems.append(_("These companies have not completed their part: %(names)s.")
                        % {"names": ", ".join(incomplete)})
    minimum = cluster.track.min_members or 1
    if len(members) < minimum:
        problems.append(_(
            "A cluster needs at least %(min)d member companies (the lead included) that have "
            "accepted and completed their part; this one has %(count)d.")
            % {"min": minimum, "count": len(members)})
    return problems


def member_eligibility_problems(call: Call, members) -> list[str]:
    """DOMAIN.md §4 for each member company: an SME, in an industry the call accepts (any
    region: the cluster programme is nationwide). Staff still screen the rest."""
    problems = []
    codes = [str(code).upper() for code in (call.ksic_codes or [])]
    for member in members:
        company = member.company
        if not company.is_sme:
            problems.append(_("%(company)s is not confirmed as an SME (중소기업).")
                            % {"company": company.name})
        ksic = (company.ksic_code or "").strip().upper()
        if codes and not any(ksic.startswith(code) for code in codes):
            problems.append(_("The industry code of %(company)s, %(code)s, is not among those "
                              "this call accepts.") % {"company": company.name,
                                                       "code": ksic or "—"})
    return problems


def active_members(cluster: Cluster):
    return (cluster.members.filter(withdrawn_at__isnull=True)
            .select_related("company").prefetch_related("documents")
            .order_by("role", "joined_at", "pk"))


def build_snapshot(cluster: Cluster, members, rules: TrackRules) -> dict:
    """The frozen shared part and every member's part, with the support each receives."""
    parts = []
    for member in members:
        support = compute_support(rules, member.cost)
        parts.append({
            "company_id": member.company_id,
            "company": member.company.name,
            "registration_number": member.company.registration_number,
            "role": member.role,
            "cost": member.cost,
            "support": dict(support.shares),
            "support_total": support.total,
            "contribution": support.contribution,
            "contribution_cash": member.contribution_cash,
            "contribution_in_kind": member.contribution_in_kind,
            "priority_claim": member.priority_claim,
            "priority_evidence": member.priority_evidence,
            "evidence_documents": [d.original_name for d in member.documents.all()
                                   if d.kind == ClusterDocumentKind.PRIORITY_EVIDENCE],
        })
    shared_documents = [d for d in cluster.documents.all()
                        if d.kind == ClusterDocumentKind.SHARED]
    evidence_ids = [d.pk for member in members for d in member.documents.all()
                    if d.kind == ClusterDocumentKind.PRIORITY_EVIDENCE]
    return {
        "kind": KIND,
        "cluster_id": cluster.pk,
        "shared": {
            "name": cluster.name,
            "shared_process": cluster.shared_process,
            **supplier_snapshot(cluster.supplier, cluster.supplier_name,
                                cluster.supplier_registration_number),
            "common_system": cluster.common_system,
            "system_scope": cluster.system_scope,
            "documents": [d.original_name for d in shared_documents],
        },
        # The files this version froze, which reviewers assigned to it may open.
        "documents_ids": sorted([d.pk for d in shared_documents] + evidence_ids),
        "members": parts,
        "min_members": cluster.track.min_members,
        "rules": rules.as_dict(),
    }


def _freeze(cluster: Cluster, application: Application, members, *, user) -> PlanVersion:
    rules = TrackRules.for_track(cluster.track)
    snapshot = build_snapshot(cluster, members, rules)
    number = (application.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(
        application=application, number=number, data=snapshot,
        total_cost=sum(p["cost"] for p in snapshot["members"]),
        requested_support=sum(p["support_total"] for p in snapshot["members"]),
        submitted_by=user)
    _sync_priority_claim(cluster, application, snapshot)
    return version


def _sync_priority_claim(cluster: Cluster, application: Application, snapshot: dict) -> None:
    """The members' priority claims become one claim of the "regulation" bonus item, which
    counts once staff verify it; a changed claim waits for verification again."""
    item = BonusItem.objects.filter(call=cluster.call, code=PRIORITY_BONUS_CODE).first()
    if item is None:
        return
    claims = [p for p in snapshot["members"] if p["priority_claim"]]
    if not claims:
        BonusClaim.objects.filter(application=application, bonus_item=item).delete()
        return
    evidence = "\n\n".join(
        f"{p['company']} ({format_registration_number(p['registration_number'])}): "
        f"{p['priority_evidence'] or ', '.join(p['evidence_documents'])}"
        for p in claims)
    claim, created = BonusClaim.objects.get_or_create(
        application=application, bonus_item=item, defaults={"evidence": evidence})
    if not created and claim.evidence != evidence:
        claim.evidence = evidence
        claim.verified = None
        claim.verified_by = None
        claim.verified_at = None
        claim.save(update_fields=["evidence", "verified", "verified_by", "verified_at"])


def _application_for(cluster: Cluster, *, user) -> Application:
    """The lead company's application on the cluster track, ready to be submitted."""
    application = cluster.application
    # The plan of the cluster's application mirrors the shared part as submitted (the
    # supplier among it), for whatever reads an application's plan.
    plan_fields = {
        "production_problems": cluster.shared_process,
        "systems": f"{cluster.common_system}\n\n{cluster.system_scope}",
        "supplier": cluster.supplier, "supplier_name": cluster.supplier_name,
        "supplier_registration_number": cluster.supplier_registration_number,
        "updated_by": user,
    }
    if application is None:
        if Application.objects.filter(company=cluster.lead_company, call=cluster.call).exists():
            raise ValidationError(
                _("%(company)s already has an application for this call.")
                % {"company": cluster.lead_company.name}, code="has_application")
        application = Application.objects.create(
            call=cluster.call, track=cluster.track, company=cluster.lead_company,
            status=ApplicationStatus.DRAFT, created_by=user)
        BusinessPlan.objects.create(application=application, **plan_fields)
        return application
    BusinessPlan.objects.update_or_create(application=application, defaults=plan_fields)
    if application.status == ApplicationStatus.WITHDRAWN:
        transition(application, ApplicationStatus.DRAFT, actor=user,
                   reason=_("The cluster is submitted again."))
    return application


def submit_cluster(cluster: Cluster, *, user, now=None) -> Cluster:
    """The lead submits: at least ``min_members`` complete parts, a receipt number, a frozen
    version for review, the priority claim as a bonus claim, every member told."""
    with transaction.atomic():
        locked = (Cluster.objects.select_for_update(of=("self",))
                  .select_related("call", "track", "lead_company", "supplier", "application")
                  .get(pk=cluster.pk))
        if locked.status == ClusterStatus.SUBMITTED:
            raise ValidationError(_("The cluster has already been submitted."),
                                  code="already_submitted")
        ensure_editable(locked, now)
        members = list(active_members(locked))
        problems = submission_problems(locked, members)
        if problems:
            raise ValidationError(problems, code="incomplete")
        application = _application_for(locked, user=user)
        receipt = application.receipt_number or allocate_receipt_number(locked.call)
        submitted_at = timezone.now()
        transition(application, ApplicationStatus.SUBMITTED, actor=user,
                   reason=_("Cluster submitted with %(count)d member companies.")
                   % {"count": len(members)},
                   fields={"receipt_number": receipt, "submitted_at": submitted_at})
        _freeze(locked, application, members, user=user)
        change_cluster_status(
            locked, ClusterStatus.SUBMITTED, actor=user,
            reason=_("Submitted by the lead company with %(count)d members.")
            % {"count": len(members)},
            fields={"submitted_at": submitted_at, "application": application})
        ClusterNotice.objects.create(cluster=locked, kind=ClusterNoticeKind.SUBMITTED,
                                     company_name=locked.lead_company.name,
                                     active_members=len(members))
        _tell_members(locked.pk, ClusterNoticeKind.SUBMITTED)
    cluster.refresh_from_db()
    return cluster


def withdraw_submission(cluster: Cluster, *, user, reason: str = "", now=None) -> Cluster:
    """The lead takes the submission back to change it; it must be submitted again before the
    deadline."""
    ensure_window_open(cluster.call, now)
    with transaction.atomic():
        locked = (Cluster.objects.select_for_update(of=("self",))
                  .select_related("application").get(pk=cluster.pk))
        if locked.status != ClusterStatus.SUBMITTED:
            raise ValidationError(_("The cluster is not submitted."), code="not_submitted")
        _return_to_draft(locked, user=user, kind=ClusterNoticeKind.SUBMISSION_WITHDRAWN,
                         reason=reason or _("The lead company withdrew the submission to "
                                            "change it."),
                         company_name=locked.lead_company.name)
    cluster.refresh_from_db()
    return cluster


def _return_to_draft(cluster: Cluster, *, user, kind: str, reason: str, company_name: str):
    application = cluster.application
    if application is not None and application.status not in (ApplicationStatus.SUBMITTED,
                                                                ApplicationStatus.DRAFT):
        raise ValidationError(
            _("Screening of this cluster has begun; contact the programme's operator."),
            code="screening")
    if application is not None and application.status == ApplicationStatus.SUBMITTED:
        transition(application, ApplicationStatus.WITHDRAWN, actor=user, reason=reason)
    change_cluster_status(cluster, ClusterStatus.DRAFT, actor=user, reason=reason)
    ClusterNotice.objects.create(cluster=cluster, kind=kind, company_name=company_name,
                                 active_members=_active_count(cluster))
    _tell_members(cluster.pk, kind)


def withdraw_member(member: ClusterMember, *, user, reason: str = "", now=None
                    ) -> ClusterMember:
    """A member company leaves before the deadline. If the cluster was submitted and fewer than
    ``min_members`` remain, it goes back to draft; otherwise a new version is frozen. Every
    remaining member is told (dashboard, and email when the cluster went back to draft)."""
    if member.role == ClusterRole.LEAD:
        raise ValidationError(_("The lead company cannot leave its own cluster."), code="lead")
    with transaction.atomic():
        cluster = (Cluster.objects.select_for_update(of=("self",))
                   .select_related("call", "track", "application", "lead_company", "supplier")
                   .get(pk=member.cluster_id))
        ensure_window_open(cluster.call, now)
        member = ClusterMember.objects.select_for_update().get(pk=member.pk)
        if member.withdrawn_at is not None:
            raise ValidationError(_("This company has already left the cluster."),
                                  code="withdrawn")
        application = cluster.application
        if (cluster.status == ClusterStatus.SUBMITTED and application is not None
                and application.status != ApplicationStatus.SUBMITTED):
            raise ValidationError(
                _("Screening of this cluster has begun; contact the programme's operator."),
                code="screening")
        member.withdrawn_at = timezone.now()
        member.withdrawn_reason = reason
        member.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        remaining = list(active_members(cluster))
        minimum = cluster.track.min_members or 1
        name = member.company.name
        if cluster.status == ClusterStatus.SUBMITTED and len(remaining) < minimum:
            _return_to_draft(
                cluster, user=user, kind=ClusterNoticeKind.RETURNED_TO_DRAFT,
                reason=_("%(company)s withdrew; %(count)d members remain, fewer than "
                         "%(min)d.") % {"company": name, "count": len(remaining),
                                        "min": minimum},
                company_name=name)
        elif cluster.status == ClusterStatus.SUBMITTED:
            why = _("%(company)s withdrew; %(count)d members remain.") % {
                "company": name, "count": len(remaining)}
            transition(application, ApplicationStatus.SUBMITTED, actor=user, reason=why)
            _freeze(cluster, application, remaining, user=user)
            change_cluster_status(cluster, ClusterStatus.SUBMITTED, actor=user, reason=why)
            ClusterNotice.objects.create(cluster=cluster, kind=ClusterNoticeKind.MEMBER_WITHDREW,
                                         company_name=name, active_members=len(remaining))
        else:
            ClusterNotice.objects.create(cluster=cluster, kind=ClusterNoticeKind.MEMBER_WITHDREW,
                                         company_name=name, active_members=len(remaining))
    return member


# --- Telling the members -------------------------------------------------------------------

@dataclass(frozen=True)
class _Mail:
    subject: str
    template: str


def _tell_members(cluster_pk: int, kind: str) -> None:
    """Email every user of every active member company: written to the outbox in the
    change's transaction, sent after the commit, one email each."""
    mails = {
        ClusterNoticeKind.SUBMITTED: _Mail(
            gettext_lazy("[Smart factory cluster] “%(cluster)s” was submitted (%(receipt)s)"),
            "clusters/email/submitted.txt"),
        ClusterNoticeKind.RETURNED_TO_DRAFT: _Mail(
            gettext_lazy("[Smart factory cluster] “%(cluster)s” is back in draft"),
            "clusters/email/returned_to_draft.txt"),
        ClusterNoticeKind.SUBMISSION_WITHDRAWN: _Mail(
            gettext_lazy("[Smart factory cluster] “%(cluster)s” is back in draft"),
            "clusters/email/returned_to_draft.txt"),
    }
    mail = mails.get(kind)
    if mail is None:
        return
    cluster = Cluster.objects.select_related("call", "track", "application").get(pk=cluster_pk)
    # Each member's people in their own language (the one they last used on the portal; the
    # acting person's when they have none yet).
    recipients = sorted(set(
        Membership.objects.filter(company__cluster_memberships__cluster=cluster,
                                  company__cluster_memberships__withdrawn_at__isnull=True)
        .values_list("user__email", "user__language")))
    if not recipients:
        return
    notice = cluster.notices.order_by("-created_at", "-pk").first()
    context = {
        "cluster": cluster, "notice": notice, "kind": kind,
        "url": settings.SITE_URL.rstrip("/") + reverse("clusters:detail", args=[cluster.pk]),
        "receipt": cluster.application.receipt_number if cluster.application else "",
        "min_members": cluster.track.min_members,
    }
    acting = translation.get_language()
    for email, language in recipients:
        with translation.override(language or acting):
            subject = str(mail.subject) % {"cluster": cluster.name, "receipt": context["receipt"]}
            body = render_to_string(mail.template, context)
        outbox.enqueue_email(to=[email], subject=subject, body=body)
