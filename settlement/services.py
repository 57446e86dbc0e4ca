"""Writes of payments, completion reports, settlement and refunds (DOMAIN.md §10).

Every movement of money is a ledger row written in the transaction of the change that causes
it, after the project's row is locked (``locked_project``): two staff confirming a payment or a
settlement of the same project at once are serialised, and the second finds the first's rows
and is refused with the rule named. The call's budget lines are locked too, in the order every
award run and promotion takes them, so a line's paid total never exceeds the line.

Statuses change through ``portal.state``; tasks and emails go through the outbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ApplicationStatus
from outbox import services as outbox
from portal import bulk
from portal.state import change_state, change_states
from portal.templatetags.portal_tags import won
from programs.enums import FundingSource
from programs.models import Track
from projects.change_requests import cluster_members
from projects.changes import add_months
from projects.models import Agreement
from projects.money import COST_ITEMS, SOURCES
from projects.services import (
    lock_budget_lines,
    record_exclusion,
    recorded_language,
    track_rules,
)
from reviews.models import ReviewerProfile
from reviews.selectors import conflict_numbers

from . import money, notifications, selectors
from .enums import (
    INSPECTION_TRANSITIONS,
    ORDER_TRANSITIONS,
    PROJECT_TRANSITIONS,
    REFUND_TRANSITIONS,
    SETTLEMENT_TRANSITIONS,
    Decision,
    FlagRule,
    InspectionStatus,
    InvoiceKind,
    LedgerKind,
    OrderStatus,
    PaymentKind,
    ProjectStatus,
    RefundStatus,
    SettlementRule,
    SettlementStatus,
)
from .flags import InvoiceFacts, PaymentFacts, invoice_flags
from .models import (
    CompletionReport,
    Deposit,
    Flag,
    FollowUpReport,
    Inspection,
    InspectionEvent,
    InspectionPhoto,
    LedgerEntry,
    PaymentOrder,
    PaymentOrderEvent,
    Project,
    ProjectEvent,
    Refund,
    RefundEvent,
    ReportVersion,
    Settlement,
    SettlementEvent,
    SupplierPayment,
    TaxInvoice,
)
from .notices import render_settlement_notice

P = ProjectStatus
K = LedgerKind
NOTICE_TASK = "settlement.generate_settlement_notice"
SOURCE_LABELS = dict(FundingSource.choices)


class Refused(ValidationError):
    """A payment or settlement action cannot be done; the message names the rule."""


def refused(rule: SettlementRule, message: str) -> Refused:
    return Refused(_("%(rule)s: %(message)s") % {"rule": rule.label, "message": message},
                   code=rule.value)


# --- Projects and their statuses ----------------------------------------------------------

def change_project_status(project: Project, to_status, *, actor=None, reason: str = "",
                          fields: dict | None = None) -> Project:
    return change_state(project, to_status, choices=ProjectStatus,
                        transitions=PROJECT_TRANSITIONS, audit_model=ProjectEvent,
                        audit_field="project", refused=Refused,
                        refusal=_("A project cannot go from “%(from)s” to “%(to)s”."),
                        actor=actor, reason=reason, fields=fields)


def project_of(agreement: Agreement) -> Project:
    """The project of an accepted agreement (made the first time it is asked for)."""
    if agreement.application.status != ApplicationStatus.AGREEMENT:
        raise Refused(_("Only an accepted agreement has a project to pay."), code="not_accepted")
    try:
        with transaction.atomic():
            project, _created = Project.objects.get_or_create(
                agreement=agreement, defaults={"call_id": agreement.application.call_id})
    except IntegrityError:  # made by a concurrent request in between
        project = Project.objects.get(agreement=agreement)
    return project


def open_project(application_id: int) -> Project | None:
    """The project of the application's accepted agreement (the acceptance's receiver)."""
    agreement = (Agreement.objects.select_related("application")
                 .filter(application_id=application_id).first())
    if agreement is None or agreement.application.status != ApplicationStatus.AGREEMENT:
        return None
    return project_of(agreement)


def locked_project(project: Project) -> Project:
    """Lock the project's row (inside a transaction) and read it with its agreement."""
    return (Project.objects.select_for_update(of=("self",))
            .select_related("agreement__application__track", "agreement__application__call",
                            "agreement__application__company", "agreement__result_line",
                            "call")
            .get(pk=project.pk))


def write_entry(project: Project, kind: str, source: str, amount: int, *, actor, reason: str,
                **links) -> LedgerEntry:
    return LedgerEntry.objects.create(
        project=project, call_id=project.call_id,
        track_id=project.agreement.application.track_id, kind=kind, source=source,
        amount=amount, actor=actor, reason=reason, **links)


# --- Deposits -----------------------------------------------------------------------------

def record_deposit(project: Project, *, amount: int, deposited_on: date, upload,
                   content_type: str, user) -> Deposit:
    """Staff record the company's cash deposit into the project account, with its evidence
    (``upload`` already checked by ``portal.uploads``)."""
    if amount <= 0:
        raise ValidationError({"amount": _("A deposit is more than 0 won.")})
    with transaction.atomic():
        project = locked_project(project)
        if project.status == P.CLAWED_BACK:
            raise Refused(_("This project was clawed back: nothing more is recorded."),
                          code="closed")
        deposit = Deposit.objects.create(
            project=project, amount=amount, deposited_on=deposited_on, file=upload,
            original_name=upload.name[:255], content_type=content_type, size=upload.size,
            uploaded_by=user)
        with recorded_language():
            reason = _("Cash contribution deposited on %(date)s") % {
                "date": deposited_on.isoformat()}
        write_entry(project, K.DEPOSIT, "", amount, actor=user, reason=reason)
    return deposit


# --- Payment orders -----------------------------------------------------------------------

def _check_payment(project: Project, kind: str, shares: dict[str, int],
                   figures: selectors.Figures, settlement: Settlement | None) -> None:
    """Refuse a payment that breaks a rule (named in the message)."""
    agreement = project.agreement
    if project.status == P.CLAWED_BACK:
        raise Refused(_("This project was clawed back: nothing more is paid."), code="closed")
    if kind == PaymentKind.ADVANCE:
        if figures.deposited < agreement.contribution_cash:
            raise refused(SettlementRule.DEPOSIT_FIRST, _(
                "%(deposited)s of the cash contribution of %(cash)s is deposited.") % {
                "deposited": won(figures.deposited), "cash": won(agreement.contribution_cash)})
        if any(figures.advance.values()):
            raise refused(SettlementRule.ONCE, _("the advance is paid already."))
        ceiling = agreement.shares
    else:
        if settlement is None or settlement.status != SettlementStatus.CONFIRMED:
            raise refused(SettlementRule.AFTER_SETTLEMENT, _("this project is not settled."))
        if any(figures.sums[K.BALANCE].values()):
            raise refused(SettlementRule.ONCE, _("the balance is paid already."))
        ceiling = settlement.settled
    # What the project keeps (paid less the refunds raised) plus this payment stays within
    # the agreed support, or the settled support for the balance; and the gross paid within
    # the agreed support.
    kept = figures.net_paid if kind == PaymentKind.BALANCE else figures.paid
    for source in SOURCES:
        amount = shares.get(source, 0)
        limit = min(ceiling[source], agreement.shares[source])
        if (kept[source] + amount > limit
                or figures.paid[source] + amount > agreement.shares[source]):
            raise refused(SettlementRule.WITHIN_AGREED, _(
                "%(source)s: %(paid)s paid and %(amount)s more would exceed %(limit)s.") % {
                "source": SOURCE_LABELS[source], "paid": won(kept[source]),
                "amount": won(amount), "limit": won(limit)})


def payment_amounts(project: Project, kind: str, figures: selectors.Figures,
                    settlement: Settlement | None) -> dict[str, int]:
    agreement = project.agreement
    if kind == PaymentKind.ADVANCE:
        terms = selectors.terms_of(project.call)
        return money.advance_amounts(agreement.shares, terms.advance_rate,
                                     project.call.rounding_unit)
    settled = settlement.settled if settlement is not None else dict.fromkeys(SOURCES, 0)
    return {source: max(0, settled[source] - figures.paid[source]) for source in SOURCES}


def prepare_payment(project: Project, kind: str, *, user) -> PaymentOrder:
    """A payment order previewed (nothing paid yet): the advance (the call's share of the
    agreed support per source, rounded down to its unit) or the balance after settlement.
    A preview already waiting for the same instalment is returned as it is."""
    kind = PaymentKind(kind)
    with transaction.atomic():
        project = locked_project(project)
        waiting = project.orders.filter(kind=kind, status=OrderStatus.PREVIEW).first()
        if waiting is not None:
            return waiting
        figures = selectors.project_figures(project)
        settlement = Settlement.objects.filter(project=project).first()
        shares = payment_amounts(project, kind, figures, settlement)
        _check_payment(project, kind, shares, figures, settlement)
        if not any(shares.values()):
            raise Refused(_("There is nothing to pay."), code="nothing")
        agreement = project.agreement
        order = PaymentOrder.objects.create(
            project=project, call_id=project.call_id, kind=kind, created_by=user,
            bank_name=agreement.bank_name, account_number=agreement.account_number,
            account_holder=agreement.account_holder, **shares)
    return order


def confirm_payment(order: PaymentOrder, *, user) -> PaymentOrder:
    """Confirm a previewed payment: checked again under the project's and the budget lines'
    locks, one ledger row per source, the order confirmed — all in one transaction. Of two
    confirmations at once exactly one applies; the other is refused."""
    with transaction.atomic():
        project = locked_project(order.project)
        lines = {line.source: line for line in lock_budget_lines(project.call_id)}
        order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != OrderStatus.PREVIEW:
            raise refused(SettlementRule.ONCE, _("this payment order is %(status)s.") % {
                "status": order.get_status_display()})
        figures = selectors.project_figures(project)
        settlement = Settlement.objects.filter(project=project).first()
        _check_payment(project, order.kind, order.shares, figures, settlement)
        paid_on_lines = dict(
            LedgerEntry.objects.filter(call_id=project.call_id, kind__in=[K.ADVANCE, K.BALANCE])
            .order_by().values_list("source").annotate(total=Sum("amount")))
        for source, amount in order.shares.items():
            line = lines.get(source)
            if amount and (line is None or paid_on_lines.get(source, 0) + amount > line.amount):
                raise refused(SettlementRule.WITHIN_AGREED, _(
                    "%(source)s: the budget line would be exceeded.") % {
                    "source": SOURCE_LABELS[source]})
        kind = K.ADVANCE if order.kind == PaymentKind.ADVANCE else K.BALANCE
        with recorded_language():
            reason = _("%(kind)s, payment order %(number)d") % {
                "kind": PaymentKind(order.kind).label, "number": order.pk}
        for source, amount in order.shares.items():
            if amount:
                write_entry(project, kind, source, amount, actor=user, reason=reason,
                            order=order)
        change_state(order, OrderStatus.CONFIRMED, choices=OrderStatus,
                     transitions=ORDER_TRANSITIONS, audit_model=PaymentOrderEvent,
                     audit_field="order", refused=Refused,
                     refusal=_("A payment order cannot go from “%(from)s” to “%(to)s”."),
                     actor=user, reason=reason,
                     fields={"confirmed_by": user, "confirmed_at": timezone.now()})
        notifications.enqueue("payment_confirmed", {"order": order,
                                                    "application": project.agreement.application},
                              company_id=project.agreement.application.company_id,
                              key=f"payment-order-{order.pk}")
    return order


def withdraw_payment(order: PaymentOrder, *, user, reason: str) -> PaymentOrder:
    return change_state(order, OrderStatus.WITHDRAWN, choices=OrderStatus,
                        transitions=ORDER_TRANSITIONS, audit_model=PaymentOrderEvent,
                        audit_field="order", refused=Refused,
                        refusal=_("A payment order cannot go from “%(from)s” to “%(to)s”."),
                        actor=user, reason=reason)


# --- The completion report ----------------------------------------------------------------

class ReportClosed(Refused):
    pass


def report_of(project: Project) -> CompletionReport:
    report, _created = CompletionReport.objects.get_or_create(project=project)
    return report


def _editable(report: CompletionReport) -> CompletionReport:
    locked = (CompletionReport.objects.select_for_update(of=("self",))
              .select_related("project").get(pk=report.pk))
    if locked.project.status != P.IN_PROGRESS:
        raise ReportClosed(_("The completion report is submitted: it can no longer be "
                             "changed."), code="submitted")
    return locked


def save_report(report: CompletionReport, *, values: dict, revision: int, user
                ) -> CompletionReport:
    """Save what the company typed (an autosave or the form): ``actual_<item>`` amounts,
    ``kpi_<name>`` values and ``summary``. Refused when another member saved since
    ``revision`` (the draft they saw is kept)."""
    with transaction.atomic():
        locked = _editable(report)
        if locked.revision != revision:
            raise Refused(_("Another member saved this report while you were typing: reload "
                            "the page to see their entries."), code="stale")
        costs = dict(locked.actual_costs)
        kpis = dict(locked.kpis)
        for name, value in values.items():
            if name.startswith("actual_") and name[7:] in COST_ITEMS:
                costs[name[7:]] = int(value or 0)
            elif name.startswith("kpi_"):
                kpis[name[4:]] = value
            elif name == "summary":
                locked.summary = value
        locked.actual_costs = costs
        locked.kpis = kpis
        locked.revision += 1
        locked.updated_by = user
        locked.save()
    return locked


def add_invoice(report: CompletionReport, values: dict, *, user) -> TaxInvoice:
    """Add a checked tax invoice (``forms.InvoiceForm``) to the draft report."""
    with transaction.atomic():
        locked = _editable(report)
        if locked.invoices.filter(approval_number=values["approval_number"]).exists():
            raise ValidationError({"approval_number": _(
                "This approval number is already in this report.")})
        invoice = TaxInvoice.objects.create(report=locked, **values)
        locked.revision += 1
        locked.updated_by = user
        locked.save(update_fields=["revision", "updated_by", "updated_at"])
    return invoice


def remove_invoice(invoice: TaxInvoice, *, user) -> None:
    with transaction.atomic():
        locked = _editable(invoice.report)
        TaxInvoice.objects.filter(pk=invoice.pk, report=locked).delete()
        locked.revision += 1
        locked.updated_by = user
        locked.save(update_fields=["revision", "updated_by", "updated_at"])


def add_supplier_payment(report: CompletionReport, *, supplier_registration_number: str,
                         paid_on: date, amount: int, upload, content_type: str,
                         user) -> SupplierPayment:
    """Add a proof of payment to the supplier (``upload`` checked by ``portal.uploads``)."""
    with transaction.atomic():
        locked = _editable(report)
        payment = SupplierPayment.objects.create(
            report=locked, supplier_registration_number=supplier_registration_number,
            paid_on=paid_on, amount=amount, file=upload, original_name=upload.name[:255],
            content_type=content_type, size=upload.size, uploaded_by=user)
        locked.revision += 1
        locked.updated_by = user
        locked.save(update_fields=["revision", "updated_by", "updated_at"])
    return payment


def report_data(report: CompletionReport) -> dict:
    return {
        "actual_costs": report.actual_costs,
        "kpis": report.kpis,
        "summary": report.summary,
        "invoices": [
            {"approval_number": i.approval_number, "issued_on": i.issued_on.isoformat(),
             "supplier_name": i.supplier_name,
             "supplier_registration_number": i.supplier_registration_number,
             "cost_item": i.cost_item, "kind": i.kind, "supply_amount": i.supply_amount,
             "vat": i.vat, "zero_rated": i.zero_rated}
            for i in report.invoices.order_by("issued_on", "pk")],
        "payments": [
            {"supplier_registration_number": p.supplier_registration_number,
             "paid_on": p.paid_on.isoformat(), "amount": p.amount, "file": p.original_name}
            for p in report.payments.order_by("paid_on", "pk")],
    }


def submit_report(report: CompletionReport, *, user) -> ReportVersion:
    """Submit the completion report: a version is frozen and the project moves to
    *completion reported*; the draft can no longer change."""
    with transaction.atomic():
        locked = _editable(report)
        if not locked.invoices.exists():
            raise Refused(_("Add at least one tax invoice before submitting."),
                          code="no_invoice")
        number = (locked.versions.order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
        version = ReportVersion.objects.create(report=locked, number=number,
                                               data=report_data(locked), submitted_by=user)
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
        with recorded_language():
            reason = _("Completion report submitted (version %(number)d)") % {"number": number}
        change_project_status(locked.project, P.REPORTED, actor=user, reason=reason)
    return version


# --- Flags --------------------------------------------------------------------------------

def agreed_supplier_number(agreement: Agreement) -> str:
    if agreement.supplier_registration_number:
        return agreement.supplier_registration_number
    return agreement.supplier.registration_number if agreement.supplier_id else ""


def found_flags(agreement: Agreement, invoices: list[InvoiceFacts],
                payments: list[PaymentFacts], used_elsewhere: set[str]
                ) -> dict[int, dict[str, dict]]:
    """The flags of one project's invoices (``flags.invoice_flags`` with the agreement's
    supplier and period): the one rule both the per-project and the call's paths apply."""
    return invoice_flags(invoices, payments, agreed_supplier=agreed_supplier_number(agreement),
                         period_start=agreement.period_start, period_end=agreement.period_end,
                         used_elsewhere=used_elsewhere)


def new_flags(found: dict[int, dict[str, dict]], existing: set[tuple[int, str]]) -> list[Flag]:
    """The flags of ``found`` not recorded yet (a recorded one, open or cleared, is kept)."""
    return [Flag(invoice_id=key, rule=rule, detail=flag_detail(rule, facts))
            for key, rules in found.items() for rule, facts in rules.items()
            if (key, rule) not in existing]


INVOICE_FACTS = ("pk", "approval_number", "issued_on", "supplier_registration_number", "kind",
                 "supply_amount", "vat")


def raise_flags(project: Project) -> list[Flag]:
    """Compute the flags of the project's submitted invoices (DOMAIN.md §10) and record the
    new ones; a flag already recorded (open or cleared) is kept as it is. Returns the open
    flags."""
    facts = [InvoiceFacts(*row) for row in TaxInvoice.objects.filter(report__project=project)
             .values_list(*INVOICE_FACTS)]
    payments = [PaymentFacts(*row) for row in SupplierPayment.objects.filter(
        report__project=project).values_list("supplier_registration_number", "amount")]
    found = found_flags(project.agreement, facts, payments,
                        selectors.approval_numbers_elsewhere(
                            project, [i.approval_number for i in facts]))
    existing = set(Flag.objects.filter(invoice__report__project=project)
                   .values_list("invoice_id", "rule"))
    Flag.objects.bulk_create(new_flags(found, existing), ignore_conflicts=True)
    return list(selectors.open_flags(project).select_related("invoice"))


def flag_detail(rule: str, facts: dict) -> str:
    with recorded_language():
        if rule == FlagRule.SUPPLIER:
            return _("Issued by %(supplier)s; the agreed supplier is %(agreed)s.") % facts
        if rule == FlagRule.DATE:
            return _("Issued on %(issued_on)s; the project ran from %(start)s to %(end)s.") % facts
        if rule == FlagRule.AMENDED:
            return _("%(kind)s, supply amount %(amount)s.") % {
                "kind": InvoiceKind(facts["kind"]).label, "amount": won(facts["supply_amount"])}
        if rule == FlagRule.DUPLICATE:
            return _("Approval number %(approval_number)s is in another project's report.") % facts
        return _("Invoiced %(invoiced)s; proven payments %(paid)s.") % {
            "invoiced": won(facts["invoiced"]), "paid": won(facts["paid"])}


def clear_flag(flag: Flag, *, user, reason: str, exclude: bool = False) -> Flag:
    """Staff clear a flag with their reason; with ``exclude`` the invoice is left out of the
    recognised cost."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for clearing this flag.")})
    with transaction.atomic():
        locked = Flag.objects.select_for_update().get(pk=flag.pk)
        if locked.cleared_at is not None:
            return locked
        locked.cleared_at = timezone.now()
        locked.cleared_by = user
        locked.clear_reason = reason.strip()
        locked.excludes_invoice = exclude
        locked.save(update_fields=["cleared_at", "cleared_by", "clear_reason",
                                   "excludes_invoice"])
    return locked


# --- Settlement ---------------------------------------------------------------------------

def figures_from(agreement: Agreement, invoices, excluded: set[int], paid: dict[str, int],
                 rules) -> money.SettledFigures:
    """The recognised cost, settled support, balance and refund from the project's invoices
    (``(pk, cost_item, supply_amount, kind)``; cancelled ones and ``excluded`` do not count)
    and what is paid — a cluster's per member company (``money.settle_members``): the one
    rule both the per-project and the call's paths apply."""
    counted = [money.CountedInvoice(item, amount,
                                    counts=kind != InvoiceKind.CANCELLED and pk not in excluded)
               for pk, item, amount, kind in invoices]
    recognised = money.recognised_costs(counted, agreement.costs)
    return money.settle(rules, recognised, agreement.shares, paid, cluster_members(agreement))


def settlement_figures(project: Project, rules=None) -> money.SettledFigures:
    """The recognised cost, settled support, balance and refund of ``project`` from its
    invoices (cancelled ones and those staff left out do not count) and its ledger."""
    agreement = project.agreement
    invoices = TaxInvoice.objects.filter(report__project=project).values_list(
        "pk", "cost_item", "supply_amount", "kind")
    excluded = set(Flag.objects.filter(invoice__report__project=project,
                                       excludes_invoice=True).values_list("invoice_id",
                                                                          flat=True))
    figures = selectors.project_figures(project)
    return figures_from(agreement, invoices, excluded, figures.paid,
                        rules or track_rules(agreement.application.track))


def preview_settlement(project: Project, *, user=None) -> Settlement:
    """Compute (or recompute) the settlement of a reported or inspected project: its flags and
    figures. Nothing is paid or raised until it is confirmed."""
    with transaction.atomic():
        project = locked_project(project)
        if project.status not in (P.REPORTED, P.INSPECTED):
            if project.status == P.SETTLED:
                return project.settlement
            raise refused(SettlementRule.REPORTED, _("this project has no submitted completion "
                                                     "report."))
        version = (ReportVersion.objects.filter(report__project=project)
                   .order_by("-number").first())
        raise_flags(project)
        rules = track_rules(project.agreement.application.track)
        figures = settlement_figures(project, rules)
        settlement, _created = Settlement.objects.update_or_create(
            project=project, defaults={
                "report_version": version, "recognised": figures.recognised,
                "recognised_cost": figures.recognised_cost,
                "settled_national": figures.settled["national"],
                "settled_provincial": figures.settled["provincial"],
                "settled_municipal": figures.settled["municipal"],
                "members": figures.members_json, "rules": rules.as_dict()})
    return settlement


def fill_settlement(settlement: Settlement, figures: money.SettledFigures, rules) -> None:
    """Copy the computed figures and the rules applied onto ``settlement`` (not saved)."""
    settlement.recognised = figures.recognised
    settlement.recognised_cost = figures.recognised_cost
    for source in SOURCES:
        setattr(settlement, f"settled_{source}", figures.settled[source])
    settlement.members = figures.members_json
    settlement.rules = rules.as_dict()


@dataclass
class ConfirmationRows:
    """What confirming one settlement writes, unsaved: the settled support's ledger rows, each
    refund with its ledger row (linked once the refund is saved), the follow-up schedule and
    the balance's payment order."""

    reason: str
    entries: list[LedgerEntry]
    refunds: list[tuple[Refund, LedgerEntry]]
    follow_ups: list[FollowUpReport]
    balance: PaymentOrder | None


def confirmation_rows(project: Project, settlement: Settlement,
                      figures: money.SettledFigures, *, user, today: date, terms
                      ) -> ConfirmationRows:
    """The rows confirming a settlement writes (DOMAIN.md §10): the one rule both the
    per-project and the call's paths apply."""
    track_id = project.agreement.application.track_id
    with recorded_language():
        reason = _("Settlement confirmed: recognised cost %(cost)s") % {
            "cost": won(figures.recognised_cost)}
        why = _("Paid above the settled support")

    def entry(kind, source, amount, text, **links):
        return LedgerEntry(project_id=project.pk, call_id=project.call_id, track_id=track_id,
                           kind=kind, source=source, amount=amount, actor=user, reason=text,
                           **links)

    entries = [entry(K.SETTLED, source, figures.settled[source], reason,
                     settlement=settlement)
               for source in SOURCES if figures.settled[source]]
    due_on = today + timedelta(days=terms.refund_days)
    refunds = [(Refund(project_id=project.pk, source=source, amount=figures.refund[source],
                       due_on=due_on, reason=why),
                entry(K.REFUND_RAISED, source, figures.refund[source], why))
               for source in SOURCES if figures.refund[source]]
    follow_ups = [FollowUpReport(project_id=project.pk, year=year,
                                 due_on=add_months(today, 12 * year))
                  for year in range(1, terms.follow_up_years + 1)]
    balance = None
    if figures.balance_total:
        agreement = project.agreement
        balance = PaymentOrder(project_id=project.pk, call_id=project.call_id,
                               kind=PaymentKind.BALANCE, created_by=user,
                               bank_name=agreement.bank_name,
                               account_number=agreement.account_number,
                               account_holder=agreement.account_holder, **figures.balance)
    return ConfirmationRows(reason, entries, refunds, follow_ups, balance)


def confirm_settlement(settlement: Settlement, *, user, today: date | None = None
                       ) -> Settlement:
    """Confirm a settlement: refused while a flag is open; otherwise, in one transaction, the
    settled support written to the ledger, the balance's payment order prepared or a refund
    raised per source, the project settled and the settlement notice queued. Of two
    confirmations at once exactly one applies."""
    today = today or selectors.korea_date(timezone.now())
    with transaction.atomic():
        project = locked_project(settlement.project)
        settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if settlement.status == SettlementStatus.CONFIRMED:
            raise refused(SettlementRule.ONCE, _("this project is settled already."))
        if project.status != P.INSPECTED:
            raise refused(SettlementRule.INSPECTED, _("this project has not passed its final "
                                                      "inspection."))
        flags = raise_flags(project)
        if flags:
            raise refused(SettlementRule.FLAGS_CLEARED, _(
                "%(count)d flag(s) open: %(rules)s.") % {
                "count": len(flags),
                "rules": ", ".join(sorted({str(f.get_rule_display()) for f in flags}))})
        rules = track_rules(project.agreement.application.track)
        figures = settlement_figures(project, rules)
        fill_settlement(settlement, figures, rules)
        settlement.save()
        rows = confirmation_rows(project, settlement, figures, user=user, today=today,
                                 terms=selectors.terms_of(project.call))
        for entry in rows.entries:
            entry.save()
        for refund, entry in rows.refunds:
            refund.save()
            entry.refund = refund
            entry.save()
        change_state(settlement, SettlementStatus.CONFIRMED, choices=SettlementStatus,
                     transitions=SETTLEMENT_TRANSITIONS, audit_model=SettlementEvent,
                     audit_field="settlement", refused=Refused,
                     refusal=_("A settlement cannot go from “%(from)s” to “%(to)s”."),
                     actor=user, reason=rows.reason,
                     fields={"confirmed_by": user, "confirmed_at": timezone.now()})
        change_project_status(project, P.SETTLED, actor=user, reason=rows.reason)
        FollowUpReport.objects.bulk_create(rows.follow_ups)
        if rows.balance is not None:
            rows.balance.save()
        outbox.enqueue_task(NOTICE_TASK, settlement.pk, key=f"settlement-{settlement.pk}-notice")
    return settlement


# --- Settling a whole call at once ---------------------------------------------------------
#
# The same rules as one project's settlement (``found_flags``, ``figures_from``,
# ``confirmation_rows``) over every project of a call, in a fixed number of queries whatever
# the number of projects (bench/settlement.py: 1,000 projects × 20 invoices).

SETTLEABLE = (P.REPORTED, P.INSPECTED)


@dataclass
class Computed:
    """A project's settlement as computed with the call's: its figures, the rules applied,
    its open flags and its latest report version."""

    figures: money.SettledFigures
    rules: object
    open_flags: int
    version_id: int | None


def compute_call(call, projects: list[Project]) -> dict[int, Computed]:
    """Raise the new flags of every project of ``projects`` (the call's, locked) and compute
    its settlement: nine queries and one per track, whatever the number of projects."""
    ids = [project.pk for project in projects]
    wanted = set(ids)
    invoices: dict[int, list] = {pk: [] for pk in ids}
    for project_id, *row in (TaxInvoice.objects.filter(report__project__call=call)
                             .order_by("pk")
                             .values_list("report__project_id", *INVOICE_FACTS, "cost_item")):
        if project_id in wanted:
            invoices[project_id].append(row)
    payments: dict[int, list] = {pk: [] for pk in ids}
    for project_id, number, amount in (SupplierPayment.objects.filter(report__project__call=call)
                                       .values_list("report__project_id",
                                                    "supplier_registration_number", "amount")):
        if project_id in wanted:
            payments[project_id].append(PaymentFacts(number, amount))
    shared = selectors.approval_numbers_in_several_projects(call)
    recorded: dict[int, list] = {pk: [] for pk in ids}
    for project_id, *row in (Flag.objects.filter(invoice__report__project__call=call)
                             .values_list("invoice__report__project_id", "invoice_id", "rule",
                                          "excludes_invoice", "cleared_at")):
        if project_id in wanted:
            recorded[project_id].append(row)
    versions = dict(ReportVersion.objects.filter(report__project__call=call)
                    .order_by("report__project_id", "number")
                    .values_list("report__project_id", "pk"))
    paid = selectors.figures_of(ids)
    rules_of: dict[int, object] = {}
    raised: list[Flag] = []
    computed = {}
    for project in projects:
        agreement = project.agreement
        facts = [InvoiceFacts(*row[:7]) for row in invoices[project.pk]]
        numbers = {fact.approval_number for fact in facts}
        found = found_flags(agreement, facts, payments[project.pk], numbers & shared)
        existing = {(invoice_id, rule) for invoice_id, rule, _x, _c in recorded[project.pk]}
        fresh = new_flags(found, existing)
        raised += fresh
        track_id = agreement.application.track_id
        if track_id not in rules_of:
            rules_of[track_id] = track_rules(Track(pk=track_id))
        excluded = {invoice_id for invoice_id, _r, excludes, _c in recorded[project.pk]
                    if excludes}
        figures = figures_from(agreement, [(row[0], row[7], row[5], row[4])
                                           for row in invoices[project.pk]],
                               excluded, paid[project.pk].paid, rules_of[track_id])
        still_open = sum(1 for _i, _r, _x, cleared in recorded[project.pk] if cleared is None)
        computed[project.pk] = Computed(figures, rules_of[track_id], still_open + len(fresh),
                                        versions.get(project.pk))
    Flag.objects.bulk_create(raised, batch_size=2000, ignore_conflicts=True)
    return computed


def _call_projects(call, statuses):
    projects = list(Project.objects.select_for_update(of=("self",))
                    .filter(call=call, status__in=statuses)
                    .select_related("agreement__application", "agreement__result_line")
                    .order_by("pk"))
    for project in projects:
        project.call = call
    return projects


SETTLEMENT_FIGURES = ["report_version", "recognised", "recognised_cost", "settled_national",
                      "settled_provincial", "settled_municipal", "members", "rules",
                      "computed_at"]


def update_settlements(settlements: list[Settlement], fields: list[str]) -> None:
    """Save ``fields`` of many settlements at once. On PostgreSQL one ``UPDATE … FROM
    (VALUES …)`` per thousand rows: ``bulk_update``'s ``CASE WHEN`` per row and field costs
    seconds to build at 1,000 rows. Elsewhere ``bulk_update``."""
    if connection.vendor != "postgresql":
        Settlement.objects.bulk_update(settlements, fields, batch_size=1000)
        return
    meta = Settlement._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in columns) + ")"
    names = ", ".join(quote(field.column) for field in columns)
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}"
                            for field in columns[1:])
    table = quote(meta.db_table)
    for start in range(0, len(settlements), 1000):
        chunk = settlements[start:start + 1000]
        params = [field.get_db_prep_save(getattr(settlement, field.attname), connection)
                  for settlement in chunk for field in columns]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES "
                f"{', '.join([row] * len(chunk))}) AS v ({names}) "
                f"WHERE t.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}", params)


def preview_call_settlements(call, *, user=None) -> list[Settlement]:
    """``preview_settlement`` of every reported or inspected project of ``call`` at once: the
    flags of every invoice (an approval number used in another project found with one query),
    the recognised cost and the settled support. Each settlement returned carries
    ``open_flags`` (a new one is inserted without reading its id back). Nothing is paid or
    raised."""
    with transaction.atomic():
        projects = _call_projects(call, SETTLEABLE)
        computed = compute_call(call, projects)
        existing = {s.project_id: s for s in Settlement.objects.filter(
            project__call=call, project__status__in=SETTLEABLE)}
        now = timezone.now()
        new, changed, result = [], [], []
        for project in projects:
            done = computed[project.pk]
            settlement = existing.get(project.pk) or Settlement(project=project)
            fill_settlement(settlement, done.figures, done.rules)
            settlement.report_version_id = done.version_id
            settlement.computed_at = now
            settlement.open_flags = done.open_flags
            (changed if settlement.pk else new).append(settlement)
            result.append(settlement)
        bulk.insert(Settlement, new)  # their ids are not read back
        update_settlements(changed, SETTLEMENT_FIGURES)
    return result


def settle_call(call, *, user, today: date | None = None) -> dict[int, int]:
    """``confirm_settlement`` of every inspected project of ``call`` whose settlement is
    previewed, at once: each project with no open flag is settled (the settled support in the
    ledger, its refunds raised, its balance order prepared, its follow-ups scheduled, its
    notice queued), in bulk and in one transaction. Returns ``{project id: open flags}`` of
    the projects held back by a flag."""
    today = today or selectors.korea_date(timezone.now())
    with transaction.atomic():
        projects = _call_projects(call, [P.INSPECTED])
        settlements = {s.project_id: s for s in Settlement.objects.select_for_update()
                       .filter(project__call=call, project__status=P.INSPECTED,
                               status=SettlementStatus.PREVIEW)}
        projects = [project for project in projects if project.pk in settlements]
        computed = compute_call(call, projects)
        held = {pk: done.open_flags for pk, done in computed.items() if done.open_flags}
        ready = [project for project in projects if project.pk not in held]
        terms = selectors.terms_of(call)
        now = timezone.now()
        entries, refunds, follow_ups, orders, confirmed = [], [], [], [], []
        for project in ready:
            done, settlement = computed[project.pk], settlements[project.pk]
            fill_settlement(settlement, done.figures, done.rules)
            settlement.report_version_id = done.version_id or settlement.report_version_id
            settlement.computed_at = now
            settlement.confirmed_by, settlement.confirmed_at = user, now
            rows = confirmation_rows(project, settlement, done.figures, user=user, today=today,
                                     terms=terms)
            entries += rows.entries
            refunds += rows.refunds
            follow_ups += rows.follow_ups
            orders += [rows.balance] if rows.balance is not None else []
            confirmed.append(settlement)
        update_settlements(confirmed, [*SETTLEMENT_FIGURES, "confirmed_by", "confirmed_at"])
        Refund.objects.bulk_create([refund for refund, _entry in refunds], batch_size=2000)
        for refund, entry in refunds:
            entry.refund_id = refund.pk
        bulk.insert(LedgerEntry, entries + [entry for _refund, entry in refunds])
        with recorded_language():
            reason = _("Settlement confirmed with the call's settlements")
        change_states(Settlement, {s.pk: SettlementStatus.CONFIRMED for s in confirmed},
                      choices=SettlementStatus, transitions=SETTLEMENT_TRANSITIONS,
                      audit_model=SettlementEvent, audit_field="settlement", refused=Refused,
                      refusal=_("A settlement cannot go from “%(from)s” to “%(to)s”."),
                      actor=user, reason=reason)
        change_states(Project, {project.pk: P.SETTLED for project in ready},
                      choices=ProjectStatus, transitions=PROJECT_TRANSITIONS,
                      audit_model=ProjectEvent, audit_field="project", refused=Refused,
                      refusal=_("A project cannot go from “%(from)s” to “%(to)s”."),
                      actor=user, reason=reason)
        bulk.insert(FollowUpReport, follow_ups)
        bulk.insert(PaymentOrder, orders)
        if confirmed:
            outbox.enqueue_tasks(NOTICE_TASK, [(s.pk,) for s in confirmed],
                                 keys=[f"settlement-{s.pk}-notice" for s in confirmed])
    return held


def generate_settlement_notice(settlement_id: int) -> Settlement:
    """Make the settlement notice (정산 결과 통지서) once and email the company (idempotent: a
    worker killed half-way leaves nothing saved, and running again makes it once)."""
    with transaction.atomic():
        settlement = (Settlement.objects.select_for_update(of=("self",))
                      .select_related("project__agreement__application__company",
                                      "project__call").get(pk=settlement_id))
        if settlement.is_ready:
            return settlement
        settlement.generated_at = timezone.now()
        settlement.file.save(f"{settlement.code}.pdf",
                             ContentFile(render_settlement_notice(settlement)), save=False)
        settlement.save(update_fields=["file", "generated_at"])
        application = settlement.project.agreement.application
        notifications.enqueue("settlement_notice", {"settlement": settlement,
                                                    "application": application},
                              company_id=application.company_id,
                              key=f"settlement-{settlement.pk}-email")
    return settlement


# --- Refunds ------------------------------------------------------------------------------

def _raise_refund(project: Project, source: str, amount: int, *, due_on: date, reason: str,
                  actor) -> Refund:
    refund = Refund.objects.create(project=project, source=source, amount=amount,
                                   due_on=due_on, reason=reason)
    write_entry(project, K.REFUND_RAISED, source, amount, actor=actor, reason=reason,
                refund=refund)
    return refund


def record_refund_paid(refund: Refund, *, user, paid_on: date) -> Refund:
    """Staff record that the company paid a refund back: the ledger row and the status."""
    with transaction.atomic():
        locked_project(refund.project)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status == RefundStatus.PAID:
            raise refused(SettlementRule.ONCE, _("this refund is paid already."))
        with recorded_language():
            reason = _("Refund paid on %(date)s") % {"date": paid_on.isoformat()}
        write_entry(refund.project, K.REFUND_PAID, refund.source, refund.amount, actor=user,
                    reason=reason, refund=refund)
        change_state(refund, RefundStatus.PAID, choices=RefundStatus,
                     transitions=REFUND_TRANSITIONS, audit_model=RefundEvent,
                     audit_field="refund", refused=Refused,
                     refusal=_("A refund cannot go from “%(from)s” to “%(to)s”."),
                     actor=user, reason=reason, fields={"paid_on": paid_on})
    return refund


def mark_overdue_refunds(today: date | None = None) -> int:
    """Each raised refund past its due date becomes *overdue* (stored, with its audit row) and
    the company is emailed a reminder, once (the daily beat task; running it twice changes
    nothing more). Returns how many were marked."""
    today = today or selectors.korea_date(timezone.now())
    marked = 0
    for refund_id in selectors.overdue_refunds(today).order_by("pk").values_list("pk",
                                                                                 flat=True):
        with transaction.atomic():
            refund = (Refund.objects.select_for_update(of=("self",))
                      .select_related("project__agreement__application__company",
                                      "project__agreement__application__call")
                      .get(pk=refund_id))
            if not selectors.refund_is_overdue(refund, today):
                continue  # paid back in between
            with recorded_language():
                reason = _("Not paid back by %(date)s") % {"date": refund.due_on.isoformat()}
            change_state(refund, RefundStatus.OVERDUE, choices=RefundStatus,
                         transitions=REFUND_TRANSITIONS, audit_model=RefundEvent,
                         audit_field="refund", refused=Refused,
                         refusal=_("A refund cannot go from “%(from)s” to “%(to)s”."),
                         reason=reason)
            application = refund.project.agreement.application
            notifications.enqueue("refund_overdue", {"refund": refund,
                                                     "application": application},
                                  company_id=application.company_id,
                                  key=f"refund-{refund.pk}-overdue")
            marked += 1
    return marked


def claw_back(project: Project, *, user, reason: str, exclude: bool = True,
              exclusion_years: int = 3, today: date | None = None) -> list[Refund]:
    """Cancel a selection after payment for false documents (환수): everything paid and not
    yet ordered back is raised as refunds, the project is clawed back and, with ``exclude``,
    the company is barred (the agreements' exclusion)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the claw-back.")})
    today = today or selectors.korea_date(timezone.now())
    with transaction.atomic():
        project = locked_project(project)
        if project.status == P.CLAWED_BACK:
            raise refused(SettlementRule.ONCE, _("this project was clawed back already."))
        figures = selectors.project_figures(project)
        terms = selectors.terms_of(project.call)
        refunds = [
            _raise_refund(project, source, figures.net_paid[source],
                          due_on=today + timedelta(days=terms.refund_days),
                          reason=reason.strip(), actor=user)
            for source in SOURCES if figures.net_paid[source] > 0]
        change_project_status(project, P.CLAWED_BACK, actor=user, reason=reason.strip())
        waiting = project.orders.filter(status=OrderStatus.PREVIEW).values_list("pk", flat=True)
        change_states(PaymentOrder, dict.fromkeys(waiting, OrderStatus.WITHDRAWN),
                      choices=OrderStatus, transitions=ORDER_TRANSITIONS,
                      audit_model=PaymentOrderEvent, audit_field="order", refused=Refused,
                      refusal=_("A payment order cannot go from “%(from)s” to “%(to)s”."),
                      actor=user, reason=reason.strip())
        if exclude:
            company = project.agreement.application.company
            record_exclusion(company.registration_number, reason=reason.strip(), user=user,
                             years=exclusion_years, company_name=company.name, today=today)
    return refunds


# --- Final inspection ---------------------------------------------------------------------

def change_inspection_status(inspection: Inspection, to_status, *, actor, reason: str = "",
                             fields: dict | None = None) -> Inspection:
    return change_state(inspection, to_status, choices=InspectionStatus,
                        transitions=INSPECTION_TRANSITIONS, audit_model=InspectionEvent,
                        audit_field="inspection", refused=Refused,
                        refusal=_("An inspection cannot go from “%(from)s” to “%(to)s”."),
                        actor=actor, reason=reason, fields=fields)


def inspector_conflict(project: Project, profile: ReviewerProfile) -> bool:
    """The inspector's organisation is the company, its plan's supplier or the agreed supplier
    (the reviews' conflict rule, with the agreement's supplier besides)."""
    application = project.agreement.application
    numbers = conflict_numbers([application]).get(application.pk, set())
    numbers.add(agreed_supplier_number(project.agreement))
    return profile.organisation_registration_number in numbers


def checklist_for(project: Project) -> list[dict]:
    """The inspection's checklist: each function of the plan's system list, then each KPI
    with its target, every item unchecked."""
    application = project.agreement.application
    version = application.versions.order_by("-number").first()
    plan = (version.data.get("plan", {}) if version else {}) or {}
    items = [{"kind": "function", "item": part.strip(), "ok": None, "note": ""}
             for part in re.split(r"[,\n·]", plan.get("systems", "") or "") if part.strip()]
    if not items:
        with recorded_language():
            items.append({"kind": "function", "item": _("The system is installed and works as "
                                                        "the plan describes"),
                          "ok": None, "note": ""})
    for code, row in selectors.plan_kpis(application).items():
        items.append({"kind": "kpi", "item": code, "target": row.get("target", ""),
                      "baseline": row.get("baseline", ""), "ok": None, "note": ""})
    return items


def assign_inspector(project: Project, profile: ReviewerProfile, *, user) -> Inspection:
    """Staff assign an inspector to a reported project: refused, with the rule named, when
    the inspector is conflicted or the project is not reported."""
    with transaction.atomic():
        project = locked_project(project)
        if project.status != P.REPORTED:
            raise refused(SettlementRule.REPORTED, _("this project has no submitted completion "
                                                     "report."))
        if not profile.active or inspector_conflict(project, profile):
            raise refused(SettlementRule.NOT_CONFLICTED, _(
                "%(inspector)s (%(organisation)s) cannot inspect this project.") % {
                "inspector": profile.user, "organisation": profile.organisation})
        if project.inspections.filter(status__in=OPEN_INSPECTIONS).exists():
            raise Refused(_("This project already has an inspector."), code="assigned")
        return Inspection.objects.create(project=project, inspector=profile,
                                         checklist=checklist_for(project), assigned_by=user)


OPEN_INSPECTIONS = (InspectionStatus.ASSIGNED, InspectionStatus.REMEDIATE)


def declare_inspection_conflict(inspection: Inspection, *, user, reason: str) -> Inspection:
    """The inspector declares a relation with the company: the assignment is withdrawn and
    staff assign another inspector."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the relation is.")})
    return change_inspection_status(inspection, InspectionStatus.WITHDRAWN, actor=user,
                                    reason=reason.strip())


def record_inspection(inspection: Inspection, *, user, checklist: list[dict], findings: str,
                      decision: str, photos=(), today: date | None = None) -> Inspection:
    """The inspector's checklist, findings, photos (checked by ``portal.uploads``: pairs of
    ``(upload, content_type)``) and decision: pass (the project is inspected), remediate
    (once, due the call's days later) or fail (everything paid is ordered back)."""
    today = today or selectors.korea_date(timezone.now())
    decision = Decision(decision)
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().select_related("project").get(
            pk=inspection.pk)
        if locked.status == InspectionStatus.REMEDIATE and decision == Decision.REMEDIATE:
            raise refused(SettlementRule.REMEDIATE_ONCE, _("remediation was asked already."))
        for upload, content_type in photos:
            InspectionPhoto.objects.create(
                inspection=locked, file=upload, original_name=upload.name[:255],
                content_type=content_type, size=upload.size, uploaded_by=user)
        fields = {"checklist": checklist, "findings": findings, "decided_at": timezone.now()}
        with recorded_language():
            reason = _("Final inspection: %(decision)s") % {"decision": decision.label}
        if decision == Decision.REMEDIATE:
            terms = selectors.terms_of(locked.project.call)
            fields["remediation_due"] = today + timedelta(days=terms.remediation_days)
        change_inspection_status(locked, decision.value, actor=user, reason=reason,
                                 fields=fields)
        if decision == Decision.PASS:
            change_project_status(locked.project, P.INSPECTED, actor=user, reason=reason)
        elif decision == Decision.FAIL:
            claw_back(locked.project, user=user, reason=findings.strip() or reason,
                      exclude=False, today=today)
    return locked



# --- Follow-up ----------------------------------------------------------------------------

FOLLOW_UP_OVERDUE_DAYS = 30


def submit_follow_up(project: Project, year: int, *, kpis: dict, in_use: bool,
                     level: int | None, user, today: date | None = None) -> FollowUpReport:
    """The company's follow-up report for ``year``: refused, with the rule named, before the
    year is due or when it was filed already."""
    today = today or selectors.korea_date(timezone.now())
    with transaction.atomic():
        report = (FollowUpReport.objects.select_for_update().filter(project=project, year=year)
                  .first())
        if report is None or today < report.due_on:
            raise refused(SettlementRule.FOLLOW_UP_DUE, _(
                "the report for year %(year)d is not due yet.") % {"year": year})
        if report.submitted_at is not None:
            raise refused(SettlementRule.ONCE, _("the report for year %(year)d was filed "
                                                 "already.") % {"year": year})
        if level is not None and not 1 <= level <= 5:
            raise ValidationError({"level": _("A smart-factory level is 1 to 5.")})
        report.kpis, report.in_use, report.level = kpis, in_use, level
        report.submitted_at, report.submitted_by = timezone.now(), user
        report.save(update_fields=["kpis", "in_use", "level", "submitted_at",
                                   "submitted_by"])
    return report


def remind_follow_ups(today: date | None = None) -> int:
    """Email each company whose follow-up report is due and not filed, once per report (the
    daily beat task; running it twice sends nothing more)."""
    today = today or selectors.korea_date(timezone.now())
    reminded = 0
    due = (FollowUpReport.objects.filter(due_on__lte=today, submitted_at__isnull=True,
                                         reminded_at__isnull=True)
           .select_related("project__agreement__application__company",
                           "project__agreement__application__call"))
    for report in due:
        with transaction.atomic():
            if not FollowUpReport.objects.filter(pk=report.pk, reminded_at__isnull=True).update(
                    reminded_at=timezone.now()):
                continue
            application = report.project.agreement.application
            notifications.enqueue("follow_up_due", {"report": report,
                                                    "application": application},
                                  company_id=application.company_id,
                                  key=f"follow-up-{report.pk}-reminder")
            reminded += 1
    return reminded
