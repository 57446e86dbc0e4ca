"""Change requests (협약변경): filed by the company under the standard's rules (``changes.py``),
decided by staff or the region's operator; an approval makes a new agreement version."""


from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from portal.state import change_state

from . import notifications, selectors
from .changes import add_months, change_refusals
from .enums import (
    CHANGE_TRANSITIONS,
    ChangeKind,
    ChangeRule,
    ChangeStatus,
)
from .models import (
    Agreement,
    ChangeRequest,
    ChangeRequestEvent,
)
from .money import (
    COST_ITEMS,
    Member,
    agreed_support,
    cluster_support,
    contribution_problems,
)
from .services import Refused, freeze_version, locked_open, track_rules

S = ApplicationStatus


def file_change_request(agreement: Agreement, *, user, kind: str, cause_on: date,
                        reason: str, proposed: dict, today: date | None = None) -> ChangeRequest:
    """File a change request; refused, with every rule it breaks named, when the rules of
    the standard do not allow it."""
    today = today or selectors.korea_date(timezone.now())
    agreement = Agreement.objects.select_related("application__call",
                                                 "application__track").get(pk=agreement.pk)
    if agreement.application.status != S.AGREEMENT:
        raise Refused(_("Only an accepted agreement can be changed."), code="not_accepted")
    refusals = change_refusals(kind, filed_on=today, cause_on=cause_on,
                               period_end=agreement.period_end,
                               extensions_so_far=agreement.extensions,
                               extension_months=proposed.get("months"))
    if refusals:
        raise Refused([str(refusal) for refusal in refusals], code="rules")
    if kind == ChangeKind.COST:
        proposed = {**proposed, "support": cost_change_support(agreement, proposed)}
    return ChangeRequest.objects.create(agreement=agreement, kind=kind, cause_on=cause_on,
                                        reason=reason.strip(), proposed=proposed, filed_by=user)


def cluster_members(agreement: Agreement) -> list[Member]:
    """The member companies of a cluster's agreement (its award line's ``members``); none for
    a project of one company."""
    return [Member.from_line(row) for row in agreement.result_line.members or ()]


def cost_change_support(agreement: Agreement, proposed: dict) -> dict[str, int]:
    """The support for the proposed costs: recomputed by the money rules (a cluster's per
    member company), never above the agreement's current support; the contribution must still
    add up and meet the cash share."""
    costs = proposed["costs"]
    total = sum(int(costs[item]) for item in COST_ITEMS)
    rules = track_rules(agreement.application.track)
    members = cluster_members(agreement)
    if members:  # a cluster: the cap applies per member company (projects.money)
        support, _parts = cluster_support(rules, total, members, agreement.shares)
    else:
        support = agreed_support(rules, total, agreement.shares)
    problems = contribution_problems(support, cash=int(proposed["contribution_cash"]),
                                     in_kind=int(proposed["contribution_in_kind"]),
                                     min_cash_share=agreement.application.call.min_cash_share)
    if problems:
        raise ValidationError(problems)
    return support.shares


def _change_machine() -> dict:
    return dict(choices=ChangeStatus, transitions=CHANGE_TRANSITIONS,
                audit_model=ChangeRequestEvent, audit_field="change_request", refused=Refused,
                refusal=_("A change request cannot go from “%(from)s” to “%(to)s”."))


def decide_change_request(change: ChangeRequest, *, user, approve: bool,
                          reason: str) -> ChangeRequest:
    """Approve (the agreement gets a new version and PDF) or refuse a pending change request,
    with a reason; the company is emailed either way."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    reason = reason.strip()
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        agreement = locked_open(change.agreement)
        if change.status != ChangeStatus.PENDING:
            raise Refused(_("This change request was already decided (%(status)s).")
                          % {"status": change.get_status_display()}, code="decided")
        if approve:
            if agreement.application.status != S.AGREEMENT:
                raise Refused(_("Only an accepted agreement can be changed."),
                              code="not_accepted")
            if change.kind == ChangeKind.EXTENSION and agreement.extensions >= 1:
                raise Refused(f"{ChangeRule.ONE_EXTENSION.label}: " + _(
                    "The project period has already been extended once; it cannot be extended "
                    "again."), code="rules")
            apply_change(agreement, change)
        change_state(change, ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED,
                     **_change_machine(), actor=user, reason=reason,
                     fields={"decided_by": user, "decided_at": timezone.now(),
                             "decision_reason": reason})
        if approve:
            freeze_version(agreement, user=user, change_request=change,
                           schedule=change.proposed.get("schedule", ""))
        notifications.enqueue("change_decided", {"change": change, "agreement": agreement,
                                                 "approved": approve, "reason": reason},
                              company_id=agreement.application.company_id,
                              key=f"change-request-{change.pk}-decided")
    return change


def apply_change(agreement: Agreement, change: ChangeRequest) -> None:
    proposed = change.proposed
    if change.kind == ChangeKind.EXTENSION:
        agreement.period_end = add_months(agreement.period_end, int(proposed["months"]))
        agreement.extensions += 1
    elif change.kind == ChangeKind.SUPPLIER:
        agreement.supplier_id = proposed.get("supplier_id")
        agreement.supplier_name = proposed.get("supplier_name", "")
        agreement.supplier_registration_number = proposed.get(
            "supplier_registration_number", "")
    elif change.kind == ChangeKind.COST:
        support = cost_change_support(agreement, proposed)
        for item in COST_ITEMS:
            setattr(agreement, f"cost_{item}", int(proposed["costs"][item]))
        agreement.contribution_cash = int(proposed["contribution_cash"])
        agreement.contribution_in_kind = int(proposed["contribution_in_kind"])
        for source, amount in support.items():
            setattr(agreement, source, amount)
    agreement.revision += 1
    agreement.save()
