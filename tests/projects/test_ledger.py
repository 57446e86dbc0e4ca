"""Hypothesis over the database: after any sequence of declines, lapses, cancellations and
promotions, every budget line's awarded total (awards' ``confirmed_awards``, which every run,
promotion and dashboard reads) equals the sum of the awards still held — tracked here by the
test's own account of what happened — and never exceeds the line; and every promotion equals
the waitlist-order greedy of DOMAIN §9 over what was free."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.enums import ApplicationStatus
from awards import selectors as award_selectors
from awards.enums import Outcome
from awards.models import ResultLine
from programs.models import BudgetLine
from projects import documents, promoting, services
from projects.models import AdditionalNotice, Agreement
from projects.promotion import Waitlisted, promote
from tests.factories.applications import MembershipFactory
from tests.factories.awards import reviewers, scored_application
from tests.factories.portal import UserFactory

from .conftest import NAT, SOURCES_ORDER, confirm

SOURCES = SOURCES_ORDER
COSTS = [400_000_000, 300_000_000, 250_000_000, 400_000_000, 200_000_000, 150_000_000,
         400_000_000, 100_000_000, 350_000_000]


@pytest.fixture
def ledger(jeonbuk, staff, django_capture_on_commit_callbacks):
    call, advanced, basic = jeonbuk
    BudgetLine.objects.filter(call=call, source=NAT).update(amount=700_000_000)
    panel = reviewers(1)
    applications = [scored_application(advanced, cost=cost, totals=(Decimal(95) - i,),
                                       panel=panel, in_kind=10_000_000)
                    for i, cost in enumerate(COSTS)]
    users = {}
    for index, application in enumerate(applications):
        user = UserFactory(email=f"ledger{index}@company.test")
        MembershipFactory(company=application.company, user=user)
        users[application.pk] = user
    run = confirm(call, staff, django_capture_on_commit_callbacks)
    lines = {line.application_id: line for line in ResultLine.objects.filter(run=run)}
    return call, advanced, applications, users, lines, staff


def shares(line):
    return {source: getattr(line, source) for source in SOURCES}


actions = st.lists(st.tuples(st.sampled_from(["decline", "lapse", "cancel", "promote"]),
                             st.integers(0, len(COSTS) - 1)), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_every_line_holds_exactly_the_live_awards(ledger, monkeypatch, steps):
    monkeypatch.setattr(documents, "render_additional_notice", lambda notice: b"%PDF-1.4\n")
    call, track, applications, users, lines, staff = ledger
    amounts = {line.source: line.amount for line in BudgetLine.objects.filter(call=call)}
    with transaction.atomic():
        held = {pk: shares(line) for pk, line in lines.items()
                if line.outcome == Outcome.SELECTED}
        released, promoted = set(), set()
        for action, index in steps:
            application = applications[index]
            agreement = Agreement.objects.filter(application=application).select_related(
                "application").first()
            if action == "promote":
                free = {s: amounts.get(s, 0) - sum(h[s] for h in held.values())
                        for s in SOURCES}
                waiting = [line for pk, line in lines.items()
                           if line.outcome == Outcome.WAITLISTED and pk not in promoted]
                try:
                    run = promoting.start_promotion(track, user=staff)
                except services.Refused:
                    assert waiting == []
                    continue
                places = (track.target_count - len(held)
                          if track.target_count is not None else None)
                expected = promote([Waitlisted(line.application_id, line.waitlist_position,
                                               shares(line)) for line in waiting],
                                   free, places).promoted_ids
                assert sorted(run.lines.filter(promoted=True)
                              .values_list("application_id", flat=True)) == sorted(expected)
                promoting.confirm_promotion(run, user=staff)
                for notice in AdditionalNotice.objects.filter(line__run=run):
                    promoting.deliver_additional_notice(notice.pk)
                for pk in expected:
                    held[pk] = shares(lines[pk])
                    promoted.add(pk)
            elif agreement is None or application.pk in released:
                continue
            elif action == "decline":
                services.decline_agreement(agreement, user=users[application.pk],
                                           reason="포기")
                released.add(application.pk)
                held.pop(application.pk)
            elif action == "lapse":
                assert services.lapse_agreement(
                    agreement, now=agreement.deadline + timedelta(seconds=1)) is True
                released.add(application.pk)
                held.pop(application.pk)
            else:
                services.cancel_selection(agreement, user=staff, reason="취소")
                released.add(application.pk)
                held.pop(application.pk)
            awarded = award_selectors.confirmed_awards(call)
            for source in SOURCES:
                assert awarded[source] == sum(h[source] for h in held.values())
                assert awarded[source] <= amounts.get(source, 0)
        statuses = dict(applications[0].__class__.objects.filter(
            pk__in=released).values_list("pk", "status"))
        assert set(statuses.values()) <= {ApplicationStatus.DECLINED, ApplicationStatus.LAPSED,
                                          ApplicationStatus.CANCELLED}
        transaction.set_rollback(True)
