"""Writes of the applications app. Every change of an application's state goes through
``transition``: it checks the move, saves with ``update_fields``, writes the audit row in the
same transaction and runs follow-ups (emails, tasks) only after the commit.

The other writes — a company and its members, the business plan (saved step by step under
optimistic concurrency), documents, submission with its frozen version and receipt number,
withdrawal, screening and bonus verification — are plain functions here too; views, forms,
the admin and the demo loader call them and hold no rule of their own.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from companies.models import Company
from companies.selectors import supplier_snapshot
from portal.state import change_state, change_states
from portal.timezone import korea_time
from programs.enums import TrackKind
from programs.models import Call

from . import notifications
from .checks import AUTOSAVE_FIELDS, STEP_FIELDS
from .enums import TRANSITIONS, ApplicationStatus
from .models import (
    Application,
    BonusClaim,
    BusinessPlan,
    Document,
    PlanVersion,
    ReceiptCounter,
    StateChange,
)
from .selectors import (
    cluster_of,
    completeness,
    editing_closed_reason,
    eligibility_failures,
    support_for,
    track_rules,
)

S = ApplicationStatus
PLAN_FIELDS = tuple(name for fields in STEP_FIELDS.values() for name in fields)


class TransitionNotAllowed(ValidationError):
    pass


class PlanConflict(ValidationError):
    """The plan was saved by someone else after the user opened it."""

    def __init__(self):
        super().__init__(
            _("The plan was changed by someone else since you opened it. Your input is shown "
              "below and was not saved: reload the page to see the current plan, then enter "
              "your changes again."),
            code="conflict",
        )


class EditingClosed(ValidationError):
    """The application may no longer be changed (deadline passed, screened, withdrawn)."""


class SubmissionRefused(ValidationError):
    """The application cannot be submitted; ``messages`` says every reason."""


class ClusterApplicationRefused(ValidationError):
    """The application represents a cluster: only the cluster's services change it."""


def ensure_not_cluster(application: Application) -> None:
    """Refuse to change, submit, withdraw or reopen through the company's application pages an
    application that represents a cluster: that would freeze a version without the members'
    parts. ``cluster_services`` keeps it in step with its cluster instead."""
    if cluster_of(application) is not None:
        raise ClusterApplicationRefused(
            _("This application represents a cluster. Its lead company changes, submits and "
              "withdraws it on the cluster's page."),
            code="cluster")


def transition(application: Application, to_status: str, *, actor=None, reason: str = "",
               fields: dict | None = None, on_commit: Callable[[], None] | None = None
               ) -> Application:
    """Move ``application`` to ``to_status`` as ``actor``; the one way a status changes.

    ``fields`` are other attributes set in the same save (receipt number, screening reason…).
    ``on_commit`` runs after the transaction commits (emails, tasks), never on a rollback.
    """
    return change_state(application, to_status, **_machine(), actor=actor, reason=reason,
                        fields=fields, on_commit=on_commit)


def transition_many(moves: dict[int, str], *, actor=None, reason: str = "",
                    on_commit: Callable[[], None] | None = None) -> int:
    """``transition`` for many applications in one transaction (an award run's results, a
    round's assignments): ``moves`` maps an application id to its new status. Every move is
    checked before any is saved; one refused move refuses them all. Returns how many moved."""
    return change_states(Application, moves, **_machine(), actor=actor, reason=reason,
                         on_commit=on_commit)


def _machine() -> dict:
    """The application life cycle for the shared state-change mechanics (portal.state)."""
    return dict(choices=ApplicationStatus, transitions=TRANSITIONS, audit_model=StateChange,
                audit_field="application", refused=TransitionNotAllowed,
                refusal=_("An application cannot go from “%(from)s” to “%(to)s”."))


# --- Companies and members -------------------------------------------------------------------


# --- Applications and the business plan ------------------------------------------------------

def start_application(company: Company, track, *, user, now=None) -> tuple[Application, bool]:
    """The company's application for the track's call: the existing one if it has started
    one already (one application per company per call), else a new draft with an empty plan.
    A call whose window is not open takes no new application."""
    now = now or timezone.now()
    if track.kind == TrackKind.CLUSTER:
        raise ValidationError(
            _("Companies apply to the cluster programme together: the lead company opens a "
              "cluster on the cluster pages and invites the member companies."),
            code="cluster_track")
    existing = Application.objects.filter(company=company, call_id=track.call_id).first()
    if existing is not None:
        return existing, False
    call = track.call
    if not (call.opens_at <= now < call.closes_at):
        raise EditingClosed(
            _("Applications for this call are accepted from %(opens)s to %(closes)s (Korea "
              "time).") % {"opens": korea_time(call.opens_at),
                           "closes": korea_time(call.closes_at)},
            code="window")
    try:
        with transaction.atomic():
            application = Application.objects.create(call=call, track=track, company=company,
                                                     created_by=user)
            BusinessPlan.objects.create(application=application, updated_by=user)
    except IntegrityError:
        return Application.objects.get(company=company, call=call), False
    return application, True


def save_plan(application: Application, values: dict, *, revision: int, user, claims=None,
              now=None) -> int:
    """Save some fields of the application's plan and return its new revision.

    The save happens only if the plan is still at ``revision`` (the one the user opened): an
    atomic compare-and-set, so of two members saving at once the second is refused with
    ``PlanConflict`` and nothing is silently overwritten. ``claims`` (the bonus step) maps
    each of the call's bonus items to its evidence, or None where it is not claimed.
    """
    ensure_not_cluster(application)
    reason = editing_closed_reason(application, now)
    if reason:
        raise EditingClosed(reason, code="closed")
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"not plan fields: {sorted(unknown)}")
    with transaction.atomic():
        updated = BusinessPlan.objects.filter(application=application, revision=revision).update(
            **values, revision=F("revision") + 1, updated_at=timezone.now(), updated_by=user)
        if not updated:
            raise PlanConflict()
        if claims is not None:
            _save_claims(application, claims)
    return revision + 1


def autosave_field(application: Application, name: str, value: str, *, revision: int,
                   user, now=None) -> int:
    """Save one long text field while the company types (see ``checks.AUTOSAVE_FIELDS``)."""
    if name not in AUTOSAVE_FIELDS:
        raise ValueError(f"{name} does not save on its own")
    return save_plan(application, {name: value}, revision=revision, user=user, now=now)


def _save_claims(application, claims: dict):
    current = {claim.bonus_item_id: claim for claim in application.bonus_claims.all()}
    for item, evidence in claims.items():
        claim = current.get(item.pk)
        if evidence is None:
            if claim is not None:
                claim.delete()
        elif claim is None:
            BonusClaim.objects.create(application=application, bonus_item=item,
                                      evidence=evidence)
        elif claim.evidence != evidence:
            # New evidence must be verified again.
            claim.evidence = evidence
            claim.verified, claim.verified_by, claim.verified_at = None, None, None
            claim.save(update_fields=["evidence", "verified", "verified_by", "verified_at"])


# --- Documents ------------------------------------------------------------------------------

def add_document(application: Application, document_type, upload, mime: str, *, user,
                 now=None) -> Document:
    """Store an uploaded (already checked) file under MEDIA_ROOT with a random name."""
    ensure_not_cluster(application)
    reason = editing_closed_reason(application, now)
    if reason:
        raise EditingClosed(reason, code="closed")
    return Document.objects.create(
        application=application, document_type=document_type, file=upload,
        original_name=upload.name[:255], content_type=mime, size=upload.size, uploaded_by=user)


def document_in_a_version(document: Document) -> bool:
    return any(document.pk in (version.data.get("documents_ids") or [])
               for version in document.application.versions.all())


def delete_document(document: Document, *, user, now=None):
    """Remove a document uploaded since the last submission (a submitted version keeps its
    files); the stored file goes once the transaction has committed."""
    ensure_not_cluster(document.application)
    reason = editing_closed_reason(document.application, now)
    if reason:
        raise EditingClosed(reason, code="closed")
    if document_in_a_version(document):
        raise ValidationError(
            _("This file is part of a submitted version, so it is kept. Upload a newer file "
              "and submit again: the newest file of each kind is the one that counts."),
            code="frozen")
    storage, name = document.file.storage, document.file.name
    with transaction.atomic():
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- Submission --------------------------------------------------------------------------------

def allocate_receipt_number(call: Call) -> str:
    """The call's next receipt number, such as ``2025-GB-0001``. The call's row is locked
    first, so concurrent submissions to one call take numbers one after another."""
    Call.objects.select_for_update().filter(pk=call.pk).first()
    counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(call=call)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{call.code}-{counter.last:04d}"


def plan_snapshot(application: Application, plan: BusinessPlan, support, rules) -> dict:
    """Everything a reviewer, an award run or a notice needs from the plan as submitted."""
    company = application.company
    documents = sorted(application.documents.all(), key=lambda d: (d.document_type_id, d.pk))
    return {
        "plan": {
            "company_overview": plan.company_overview,
            "current_production": plan.current_production,
            "production_problems": plan.production_problems,
            "systems": plan.systems,
            **supplier_snapshot(plan.supplier, plan.supplier_name,
                                plan.supplier_registration_number),
            "cost_software": plan.cost_software,
            "cost_hardware": plan.cost_hardware,
            "cost_consulting": plan.cost_consulting,
            "cost_other": plan.cost_other,
            "total_cost": plan.total_cost,
            "contribution_cash": plan.contribution_cash,
            "contribution_in_kind": plan.contribution_in_kind,
            "kpis": plan.kpis,
            "schedule_start": plan.schedule_start.isoformat() if plan.schedule_start else None,
            "schedule_end": plan.schedule_end.isoformat() if plan.schedule_end else None,
            "schedule_notes": plan.schedule_notes,
        },
        "support": {
            "project_cost": support.project_cost,
            "eligible_cost": support.eligible_cost,
            "shares": dict(support.shares),
            "total": support.total,
            "contribution": support.contribution,
        },
        "rules": rules.as_dict(),
        "min_cash_share": str(application.call.min_cash_share),
        "track": {"id": application.track_id, "kind": application.track.kind,
                  "name": application.track.name},
        "company": {
            "name": company.name,
            "registration_number": company.registration_number,
            "representative": company.representative,
            "address": company.address,
            "region": company.region.code,
            "ksic_code": company.ksic_code,
            "is_sme": company.is_sme,
            "employees": company.employees,
            "revenue": company.revenue,
            "prior_support": company.prior_support,
        },
        "bonus_claims": [
            {"code": claim.bonus_item.code, "bonus_item_id": claim.bonus_item_id,
             "evidence": claim.evidence}
            for claim in sorted(application.bonus_claims.all(), key=lambda c: c.bonus_item_id)
        ],
        "documents_ids": [document.pk for document in documents],
        "documents": [
            {"id": document.pk, "type": document.document_type.code,
             "name": document.original_name, "size": document.size,
             "content_type": document.content_type}
            for document in documents
        ],
    }


def submit_application(application: Application, *, user, revision: int, now=None,
                       notify: bool = True) -> tuple[PlanVersion, bool]:
    """Submit the plan at ``revision``: freeze it as a new version, give the application its
    receipt number (kept on later versions) and queue the confirmation email.

    Returns ``(version, created)``. Submitting a plan that is already submitted at that same
    revision (a double click, a second tab) creates nothing and returns the latest version.
    Raises ``SubmissionRefused`` listing every reason (eligibility naming its rule, each
    incomplete step, each missing document, the window), or ``PlanConflict``; an application
    that represents a cluster is refused (``ClusterApplicationRefused``).
    """
    ensure_not_cluster(application)
    now = now or timezone.now()
    with transaction.atomic():
        locked = (Application.objects.select_for_update(of=("self",))
                  .select_related("call", "call__region", "track", "track__call", "company",
                                  "company__region")
                  .prefetch_related("track__shares", "call__required_documents",
                                    "bonus_claims__bonus_item", "documents__document_type")
                  .get(pk=application.pk))
        plan = BusinessPlan.objects.select_for_update(of=("self",)).select_related("supplier").get(
            application=locked)
        latest = locked.versions.order_by("-number").first()
        if (locked.status == S.SUBMITTED and latest is not None
                and latest.plan_revision == plan.revision):
            return latest, False
        closed = editing_closed_reason(locked, now)
        if closed:
            raise SubmissionRefused([closed], code="closed")
        if plan.revision != revision:
            raise PlanConflict()
        failures = eligibility_failures(locked.company, locked.call, application=locked,
                                        now=now)
        state = completeness(locked, plan)
        reasons = [f"{failure.rule_label}: {failure.message}" for failure in failures]
        reasons += state.messages()
        if reasons:
            raise SubmissionRefused(reasons, code="incomplete")
        rules = track_rules(locked.track)
        support = support_for(locked.track, plan.total_cost)
        version = PlanVersion.objects.create(
            application=locked, number=(latest.number + 1) if latest else 1,
            plan_revision=plan.revision,
            data=plan_snapshot(locked, plan, support, rules),
            total_cost=plan.total_cost, requested_support=support.total, submitted_by=user)
        receipt = locked.receipt_number or allocate_receipt_number(locked.call)
        if version.number == 1:
            reason = _("Submitted: version 1.")
        else:
            reason = _("Submitted again: version %(number)d.") % {"number": version.number}
        transition(locked, S.SUBMITTED, actor=user, reason=reason,
                   fields={"receipt_number": receipt, "submitted_at": now})
        if notify:
            notifications.enqueue_submission_confirmation(version, translation.get_language())
    for name in ("status", "receipt_number", "submitted_at", "updated_at"):
        setattr(application, name, getattr(locked, name))
    return version, True


def withdraw_application(application: Application, *, user, reason: str = "", now=None):
    """Withdraw a submitted application; possible until the deadline."""
    ensure_not_cluster(application)
    now = now or timezone.now()
    if now >= application.call.closes_at:
        raise EditingClosed(
            _("The application window closed on %(date)s (Korea time); the application can "
              "no longer be withdrawn.") % {"date": korea_time(application.call.closes_at)},
            code="closed")
    return transition(application, S.WITHDRAWN, actor=user,
                      reason=reason or _("Withdrawn by the company."))


def reopen_application(application: Application, *, user, now=None):
    """Bring a withdrawn application back to draft, before the deadline."""
    ensure_not_cluster(application)
    now = now or timezone.now()
    if now >= application.call.closes_at:
        raise EditingClosed(
            _("The application window closed on %(date)s (Korea time).")
            % {"date": korea_time(application.call.closes_at)}, code="closed")
    return transition(application, S.DRAFT, actor=user, reason=_("Reopened by the company."))


# --- Staff -----------------------------------------------------------------------------------

def screen_application(application: Application, *, eligible: bool, reason: str = "", user):
    """Record the screening decision; ineligible needs a reason the company will read."""
    reason = (reason or "").strip()
    if not eligible and not reason:
        raise ValidationError(_("Give the reason why the application is ineligible."),
                              code="reason")
    return transition(application, S.ELIGIBLE if eligible else S.INELIGIBLE, actor=user,
                      reason=reason, fields={"screening_reason": reason})


def verify_bonus_claim(claim: BonusClaim, *, verified: bool, user, now=None) -> BonusClaim:
    claim.verified = verified
    claim.verified_by = user
    claim.verified_at = now or timezone.now()
    claim.save(update_fields=["verified", "verified_by", "verified_at"])
    return claim
