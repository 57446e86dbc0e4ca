"""The rules a change request (협약변경) is held to, as a pure function over plain values
(DOMAIN.md §9; the 2024 detailed management standard §27 and §29, **public**).

Each refusal names its rule. The figures are the standard's, kept together in
``ChangeLimits`` so that a call could state others.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .enums import ChangeKind, ChangeRule


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, on the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ChangeLimits:
    filing_days: int = 15
    months_before_end: int = 1
    extensions: int = 1
    extension_months: int = 3


@dataclass(frozen=True)
class Refusal:
    rule: ChangeRule
    message: str

    def __str__(self):
        return f"{self.rule.label}: {self.message}"


def change_refusals(kind: str, *, filed_on: date, cause_on: date, period_end: date,
                    extensions_so_far: int = 0, extension_months: int | None = None,
                    limits: ChangeLimits = ChangeLimits()) -> list[Refusal]:
    """Every rule a request of ``kind`` filed on ``filed_on`` breaks; empty when it may be
    decided. Dates are Korea dates."""
    kind = ChangeKind(kind)
    refusals = []
    if kind == ChangeKind.KPIS:
        refusals.append(Refusal(ChangeRule.NO_KPI_CHANGE, _(
            "The KPIs of the agreement cannot be changed.")))
    if kind == ChangeKind.FUNCTIONS:
        refusals.append(Refusal(ChangeRule.NO_FUNCTION_CHANGE, _(
            "The function list of the system cannot be changed.")))
    if cause_on > filed_on:
        refusals.append(Refusal(ChangeRule.FILED_IN_TIME, _(
            "The cause (%(cause)s) cannot be later than the day of the request.")
            % {"cause": cause_on.isoformat()}))
    elif (filed_on - cause_on).days > limits.filing_days:
        refusals.append(Refusal(ChangeRule.FILED_IN_TIME, _(
            "A change must be requested within %(days)d days of its cause; the cause was on "
            "%(cause)s, %(late)d days ago.")
            % {"days": limits.filing_days, "cause": cause_on.isoformat(),
               "late": (filed_on - cause_on).days}))
    last_day = add_months(period_end, -limits.months_before_end)
    if filed_on > last_day:
        refusals.append(Refusal(ChangeRule.BEFORE_END, _(
            "A change must be requested at least one month before the project period ends "
            "(%(end)s): the last day was %(last)s.")
            % {"end": period_end.isoformat(), "last": last_day.isoformat()}))
    if kind == ChangeKind.EXTENSION:
        if extensions_so_far >= limits.extensions:
            refusals.append(Refusal(ChangeRule.ONE_EXTENSION, _(
                "The project period has already been extended once; it cannot be extended "
                "again.")))
        if extension_months is None or not 1 <= extension_months <= limits.extension_months:
            refusals.append(Refusal(ChangeRule.EXTENSION_LENGTH, _(
                "An extension is of 1 to %(months)d months.")
                % {"months": limits.extension_months}))
    return refusals
