from django.db import models
from django.utils.translation import pgettext_lazy


class ApplicationStatus(models.TextChoices):
    """The life cycle of DOMAIN.md §7."""

    DRAFT = "draft", pgettext_lazy("application status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    ELIGIBLE = "eligible", pgettext_lazy("application status", "Screened: eligible")
    INELIGIBLE = "ineligible", pgettext_lazy("application status", "Screened: ineligible")
    UNDER_REVIEW = "under_review", pgettext_lazy("application status", "Under review")
    SCORED = "scored", pgettext_lazy("application status", "Scored")
    SELECTED = "selected", pgettext_lazy("application status", "Selected")
    WAITLISTED = "waitlisted", pgettext_lazy("application status", "Waitlisted")
    NOT_SELECTED = "not_selected", pgettext_lazy("application status", "Not selected")
    NOTIFIED = "notified", pgettext_lazy("application status", "Notified")
    PROMOTED = "promoted", pgettext_lazy("application status", "Promoted from the waitlist")
    AGREEMENT = "agreement", pgettext_lazy("application status", "Agreement signed")
    DECLINED = "declined", pgettext_lazy("application status", "Declined")
    LAPSED = "lapsed", pgettext_lazy("application status", "Lapsed")
    CANCELLED = "cancelled", pgettext_lazy("application status", "Selection cancelled")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")


S = ApplicationStatus

# Where the application window still matters to the company: it may edit, submit, withdraw or
# reopen until the deadline. From screening on, the pages stop counting down and stop asking
# for documents.
WINDOW_STATUSES = (S.DRAFT, S.SUBMITTED, S.WITHDRAWN)

# Allowed moves; anything else is refused by ``services.transition``.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN},
    S.ELIGIBLE: {S.UNDER_REVIEW, S.INELIGIBLE},
    S.INELIGIBLE: {S.ELIGIBLE},
    S.UNDER_REVIEW: {S.SCORED},
    S.SCORED: {S.UNDER_REVIEW, S.SELECTED, S.WAITLISTED, S.NOT_SELECTED},
    S.SELECTED: {S.NOTIFIED},
    S.WAITLISTED: {S.NOTIFIED, S.SELECTED},
    S.NOT_SELECTED: {S.NOTIFIED},
    # After the notice (projects): a selected company's agreement is open while it is
    # notified; a waitlisted one may be promoted (then its agreement opens); accepting signs
    # the agreement; declining, lapsing and a cancellation are the side exits.
    S.NOTIFIED: {S.AGREEMENT, S.PROMOTED, S.DECLINED, S.LAPSED, S.CANCELLED},
    S.PROMOTED: {S.AGREEMENT, S.DECLINED, S.LAPSED, S.CANCELLED},
    S.AGREEMENT: {S.DECLINED, S.CANCELLED},
    S.DECLINED: set(),
    S.LAPSED: set(),
    S.CANCELLED: set(),
    S.WITHDRAWN: {S.DRAFT},
}

# Statuses in which an application no longer holds the award of its result line: the budget
# it was given is free again (``awards.selectors.confirmed_lines``).
AWARD_RELEASED = (S.DECLINED, S.LAPSED, S.CANCELLED)
# A waitlisted result line holds an award only once its application is promoted: while the
# application is still in one of these statuses it does not.
STILL_WAITLISTED = (S.WAITLISTED, S.NOTIFIED)


class CostItem(models.TextChoices):
    SOFTWARE = "software", pgettext_lazy("cost item", "Software")
    HARDWARE = "hardware", pgettext_lazy("cost item", "Hardware")
    CONSULTING = "consulting", pgettext_lazy("cost item", "Consulting")
    OTHER = "other", pgettext_lazy("cost item", "Other")


class PlanStep(models.TextChoices):
    """The steps of the business plan form, in order; the company may move between them."""

    COMPANY = "company", pgettext_lazy("plan step", "Company status")
    PRODUCTION = "production", pgettext_lazy("plan step", "Current production")
    PLAN = "plan", pgettext_lazy("plan step", "Smart-factory plan")
    BUDGET = "budget", pgettext_lazy("plan step", "Budget and support")
    KPIS = "kpis", pgettext_lazy("plan step", "KPIs")
    SCHEDULE = "schedule", pgettext_lazy("plan step", "Schedule")
    BONUS = "bonus", pgettext_lazy("plan step", "Bonus items")


class Kpi(models.TextChoices):
    """The four KPIs every plan states with a baseline and a target (PQCD)."""

    PRODUCTIVITY = "productivity", pgettext_lazy("kpi", "Productivity")
    DEFECT_RATE = "defect_rate", pgettext_lazy("kpi", "Defect rate")
    COST = "cost", pgettext_lazy("kpi", "Production cost")
    LEAD_TIME = "lead_time", pgettext_lazy("kpi", "Delivery lead time")


KPI_UNITS = {
    Kpi.PRODUCTIVITY: pgettext_lazy("kpi unit", "units per hour"),
    Kpi.DEFECT_RATE: pgettext_lazy("kpi unit", "%"),
    Kpi.COST: pgettext_lazy("kpi unit", "won per unit"),
    Kpi.LEAD_TIME: pgettext_lazy("kpi unit", "days"),
}


class EligibilityRule(models.TextChoices):
    """The eligibility rules of DOMAIN.md §4 checked before submission, by name."""

    REGION = "region", pgettext_lazy("eligibility rule", "Factory region")
    INDUSTRY = "industry", pgettext_lazy("eligibility rule", "Industry (KSIC)")
    SME = "sme", pgettext_lazy("eligibility rule", "SME")
    ONE_PER_CALL = "one_per_call", pgettext_lazy("eligibility rule",
                                                  "One application per company per call")
    WINDOW = "window", pgettext_lazy("eligibility rule", "Application window")
    EXCLUDED = "excluded", pgettext_lazy("eligibility rule", "Exclusion (참여제한)")
