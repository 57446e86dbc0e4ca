"""Writes of clusters: opening one, its shared part and documents, the members' parts, and the
one state-change service (invitations: ``invitations.py``; submission: ``submission.py``).

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
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from companies.selectors import company_of
from companies.services import check_supplier
from companies.validators import (
    normalise_registration_number,
)
from portal.numbers import MAX_WON
from portal.state import change_state
from portal.templatetags.portal_tags import won
from portal.timezone import korea_time
from programs.enums import CallStatus, TrackKind
from programs.models import Call, Track
from programs.money import Support, TrackRules, compute_support, minimum_cash

from .enums import (
    CLUSTER_TRANSITIONS,
    ClusterDocumentKind,
    ClusterRole,
    ClusterStatus,
)
from .models import (
    Cluster,
    ClusterDocument,
    ClusterMember,
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


# --- Opening a cluster and its shared part -------------------------------------------------


def active_cluster_member(call: Call, registration_number: str):
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
    existing = active_cluster_member(call, company.registration_number)
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


# --- Members counted ------------------------------------------------------------------------

def active_count(cluster: Cluster) -> int:
    return cluster.members.filter(withdrawn_at__isnull=True).count()
