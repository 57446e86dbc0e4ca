"""Submitting a cluster, withdrawing the submission and members leaving (see ``services``
for the choices), and the emails that tell every member.

A submission needs at least ``track.min_members`` accepted members with complete parts; it
freezes a PlanVersion of the shared part and every member's part on the lead company's
Application, which is moved only through ``applications.services.transition``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import ApplicationStatus
from applications.models import Application, BonusClaim, BusinessPlan, PlanVersion
from applications.services import allocate_receipt_number, transition
from companies.models import Membership
from companies.selectors import supplier_snapshot
from companies.validators import (
    format_registration_number,
)
from outbox import services as outbox
from programs.models import BonusItem, Call
from programs.money import TrackRules, compute_support

from .enums import (
    KIND,
    ClusterDocumentKind,
    ClusterNoticeKind,
    ClusterRole,
    ClusterStatus,
)
from .models import (
    Cluster,
    ClusterMember,
    ClusterNotice,
)
from .services import (
    PRIORITY_BONUS_CODE,
    active_count,
    change_cluster_status,
    ensure_editable,
    ensure_window_open,
    member_part_problems,
)


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
                                 active_members=active_count(cluster))
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
