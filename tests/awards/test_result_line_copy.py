"""An award run's result lines go through ``portal.bulk.insert``: a finite Decimal is written
as it is (what the decimal field's preparation gives back), anything else is prepared by the
field as before; either way the stored figures are the given ones."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from awards import services
from awards.enums import Outcome
from awards.models import AwardRun, ResultLine
from portal import bulk


def test_a_finite_decimal_is_written_as_it_is_and_a_text_as_the_field_prepares_it():
    field = ResultLine._meta.get_field("final_score")
    given = Decimal("81.25")
    assert bulk._value(field, given, True, False, True) is given
    assert bulk._value(field, "81.25", True, False, True) == Decimal("81.25")
    with pytest.raises(ValidationError):
        bulk._value(field, Decimal("NaN"), True, False, True)


def test_result_lines_store_their_decimals_exactly(jeonbuk_scored, staff):
    call, adv, _bas = jeonbuk_scored
    run = AwardRun.objects.create(call=call, started_by=staff)
    figures = [(Decimal("90.00"), Decimal("100.00")), (Decimal("89.50"), Decimal("66.67")),
               (Decimal("70.05"), None)]
    row = ResultLine(run_id=run.pk)
    services.insert_lines([
        bulk.copy_of(row, application_id=application.pk, track_id=application.track_id,
                     position=position, outcome=Outcome.SELECTED, rank=position, track_size=3,
                     waitlist_position=None, final_score=final, stability=stability,
                     project_cost=1, eligible_cost=1, national=0, provincial=0, municipal=0,
                     contribution_cash=1, contribution_in_kind=0, members=[])
        for position, (application, (final, stability)) in enumerate(
            zip(adv, figures, strict=False), start=1)])
    assert list(ResultLine.objects.filter(run=run).order_by("position")
                .values_list("final_score", "stability")) == figures
