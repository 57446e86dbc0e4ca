"""Checks of a business plan's content, as plain functions over stored values.

The same functions judge a step when it is saved (forms) and the whole plan when it is
submitted (``services.submit_application``), so a plan that passed every step passes the
completeness check and the other way round. Support figures always come from
``programs.money.compute_support``; nothing here recomputes them differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from portal.numbers import MAX_WON
from portal.templatetags.portal_tags import won
from programs.money import Support, TrackRules, compute_support, minimum_cash

from .enums import Kpi, PlanStep
from .models import BusinessPlan

COST_FIELDS = ("cost_software", "cost_hardware", "cost_consulting", "cost_other")
CONTRIBUTION_FIELDS = ("contribution_cash", "contribution_in_kind")
MONEY_FIELDS = COST_FIELDS + CONTRIBUTION_FIELDS

# The plan's fields edited in each step (bonus claims live in their own table).
STEP_FIELDS = {
    PlanStep.COMPANY: ("company_overview",),
    PlanStep.PRODUCTION: ("current_production", "production_problems"),
    PlanStep.PLAN: ("systems", "supplier", "supplier_name", "supplier_registration_number"),
    PlanStep.BUDGET: MONEY_FIELDS,
    PlanStep.KPIS: ("kpis",),
    PlanStep.SCHEDULE: ("schedule_start", "schedule_end", "schedule_notes"),
    PlanStep.BONUS: (),
}

# Long text fields that save on their own while the company types (autosave).
AUTOSAVE_FIELDS = ("company_overview", "current_production", "production_problems", "systems",
                   "schedule_notes")
# The budget step's amounts save on their own too, once they read as an amount.
AUTOSAVE_AMOUNTS = COST_FIELDS + CONTRIBUTION_FIELDS


@dataclass(frozen=True)
class Problem:
    """Something missing or wrong in a plan: the field it concerns (or None) and why."""

    field: str | None
    message: str


def budget_problems(costs: dict, cash: int | None, in_kind: int | None, *, rules: TrackRules,
                    min_cash_share) -> list[Problem]:
    """The budget rules: a cost above 0, the contribution split adding up to what the company
    pays (total − support computed by the server) and enough of it in cash."""
    total = sum(costs.values())
    problems = []
    if total <= 0:
        problems.append(Problem(None, str(_(
            "The total project cost must be more than 0 won: enter the cost of at least one "
            "item."))))
        return problems
    if total > MAX_WON:
        problems.append(Problem(None, str(_(
            "The total project cost may be at most %(max)s.") % {"max": won(MAX_WON)})))
        return problems
    support = compute_support(rules, total)
    contribution = support.contribution
    cash, in_kind = cash or 0, in_kind or 0
    if cash + in_kind != contribution:
        problems.append(Problem("contribution_in_kind", str(_(
            "Cash and in-kind must add up to the company contribution of %(contribution)s "
            "(total cost %(total)s − support %(support)s); they add up to %(sum)s.") % {
                "contribution": won(contribution), "total": won(total),
                "support": won(support.total), "sum": won(cash + in_kind)})))
    least = minimum_cash(contribution, min_cash_share)
    if cash < least:
        problems.append(Problem("contribution_cash", str(_(
            "At least %(share)s of the company contribution must be paid in cash: at least "
            "%(least)s.") % {"share": f"{(Decimal(min_cash_share) * 100).normalize():f}%",
                             "least": won(least)})))
    return problems


def plan_support(plan: BusinessPlan, rules: TrackRules) -> Support:
    return compute_support(rules, plan.total_cost)


def kpi_values(kpis) -> dict[str, dict]:
    """The stored KPI list as ``{code: {"baseline": …, "target": …}}``."""
    return {row.get("code"): row for row in (kpis or []) if isinstance(row, dict)}


def step_problems(plan: BusinessPlan, step: str, *, rules: TrackRules, min_cash_share,
                  bonus_claims=()) -> list[Problem]:
    """What keeps one step of a stored plan from being complete (empty when it is)."""
    step = PlanStep(step)
    required = _("This field is required.")
    problems = []
    if step in (PlanStep.COMPANY, PlanStep.PRODUCTION):
        for name in STEP_FIELDS[step]:
            if not getattr(plan, name).strip():
                problems.append(Problem(name, str(required)))
    elif step == PlanStep.PLAN:
        if not plan.systems.strip():
            problems.append(Problem("systems", str(required)))
        if not plan.supplier_id and not (plan.supplier_name.strip()
                                         and plan.supplier_registration_number):
            problems.append(Problem("supplier", str(_(
                "Choose a supplier from the pool, or name your supplier with its business "
                "registration number."))))
    elif step == PlanStep.BUDGET:
        costs = {name: getattr(plan, name) for name in COST_FIELDS}
        problems.extend(budget_problems(costs, plan.contribution_cash,
                                        plan.contribution_in_kind, rules=rules,
                                        min_cash_share=min_cash_share))
    elif step == PlanStep.KPIS:
        values = kpi_values(plan.kpis)
        for kpi in Kpi:
            row = values.get(kpi.value, {})
            for part in ("baseline", "target"):
                if row.get(part) in (None, ""):
                    problems.append(Problem(f"{kpi.value}_{part}", str(required)))
    elif step == PlanStep.SCHEDULE:
        if plan.schedule_start is None:
            problems.append(Problem("schedule_start", str(required)))
        if plan.schedule_end is None:
            problems.append(Problem("schedule_end", str(required)))
    elif step == PlanStep.BONUS:
        for claim in bonus_claims:
            if not claim.evidence.strip():
                problems.append(Problem(None, str(_(
                    "Describe the evidence for the bonus item “%(item)s”.")
                    % {"item": claim.bonus_item})))
    return problems
