"""Issue 14, done-when: with one round and calibration off every score, rank and award is
today's; a weighted two-round score equals the rule (DOMAIN.md §5.1) on random inputs.

The reference here is written again from the rule's words with exact fractions: each round's
score is the mean of its totals (dropping one highest and one lowest from five reviewers),
rounded half-up to two decimals; the final score is the weighted sum of the round scores plus
the verified bonus, rounded half-up to two decimals once."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.enums import ApplicationStatus
from awards.allocation import RULE_VERSION, allocate_stored, rule_version_for
from awards.selectors import run_inputs
from programs.models import Call, EvaluationRound
from reviews import round_scores, round_services, scoring, services
from reviews.selectors import call_scores
from tests.factories.awards import close_call, scored_application
from tests.factories.portal import UserFactory
from tests.factories.reviews import submitted_review
from tests.reviews.test_rounds import two_rounds

pytestmark = pytest.mark.django_db
D = Decimal

# Totals in tenths of a point (reviews have one decimal), 0 to 100.
TOTAL = st.integers(min_value=0, max_value=1000).map(lambda tenths: D(tenths) / 10)
TOTALS = st.lists(TOTAL, min_size=1, max_size=6)
SLOW = settings(max_examples=12, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def half_up(value: Fraction) -> Decimal:
    return (D(value.numerator) / D(value.denominator)).quantize(D("0.01"),
                                                                rounding=ROUND_HALF_UP)


def reference_round(totals) -> Decimal:
    ordered = sorted(Fraction(t) for t in totals)
    if len(ordered) >= 5:
        ordered = ordered[1:-1]
    return half_up(sum(ordered, Fraction(0)) / len(ordered))


def reference_final(parts, bonus=Decimal(0)) -> Decimal:  # noqa: B008 (a constant)
    weights = sum(w for w, _s in parts)
    return half_up(sum((Fraction(w) * Fraction(s) for w, s in parts), Fraction(0)) / weights
                   + Fraction(bonus))


@given(st.lists(st.tuples(st.integers(1, 99), TOTALS), min_size=2, max_size=3),
       st.sampled_from([D(0), D(3), D("1.5"), D(6)]))
def test_weighted_final_is_the_rule_on_plain_values(rounds, bonus):
    parts = [(weight, scoring.round_score(totals)) for weight, totals in rounds]
    assert [score for _w, score in parts] == [reference_round(t) for _w, t in rounds]
    assert scoring.weighted_final(parts, bonus) == reference_final(parts, bonus)


@SLOW
@given(st.lists(TOTALS, min_size=1, max_size=4))
def test_one_round_scores_ranks_and_awards_are_todays(demo, many):
    with transaction.atomic():
        call = close_call(Call.objects.get(code="2025-GB"))
        documents = EvaluationRound.objects.get(call=call)
        track = call.tracks.order_by("order").first()
        for totals in many:
            scored_application(track, cost=100_000_000, totals=tuple(totals),
                               evaluation_round=documents)
        today = call_scores(call, statuses=[ApplicationStatus.SCORED])
        assert round_scores.final_scores(call, statuses=[ApplicationStatus.SCORED]) == today
        assert [s.final_score for s in today] == sorted(
            (reference_round(t) for t in many), reverse=True)
        inputs = run_inputs(call)
        assert "rounds" not in inputs["call"] and rule_version_for(inputs) == RULE_VERSION
        assert [(c["application_id"], c["final_score"], c["rank"])
                for c in inputs["candidates"]] == [
            (s.application_id, str(s.final_score), s.rank) for s in today]
        assert all("rounds" not in c["score"] for c in inputs["candidates"])
        allocation = allocate_stored(inputs)
        assert sorted(line.application_id for line in allocation.lines) == sorted(
            s.application_id for s in today)
        transaction.set_rollback(True)


@SLOW
@given(st.integers(1, 99), st.lists(st.tuples(TOTALS, st.lists(TOTAL, min_size=1,
                                                                  max_size=3)),
                                    min_size=1, max_size=3))
def test_a_weighted_two_round_score_equals_the_rule(demo, first_weight, applications):
    with transaction.atomic():
        staff = UserFactory(is_staff=True)
        call, documents, presentation, panel, tracks = two_rounds(
            pass_mark=None, weights=(first_weight, 100 - first_weight))
        entries = []
        for document_totals, presentation_totals in applications:
            application = scored_application(tracks[0], cost=100_000_000,
                                             totals=tuple(document_totals),
                                             evaluation_round=documents)
            entries.append((application, document_totals, presentation_totals))
        round_services.close_round(documents, actor=staff)
        round_services.open_next_round(documents, actor=staff)
        presentation.refresh_from_db()
        for application, _document_totals, presentation_totals in entries:
            for total, reviewer in zip(presentation_totals, panel, strict=False):
                submitted_review(application, presentation, total, reviewer=reviewer)
            application.refresh_from_db()
            services.mark_scored(presentation, application, actor=staff)
        scores = {s.application_id: s for s in round_scores.final_scores(call)}
        for application, document_totals, presentation_totals in entries:
            expected = reference_final([(first_weight, reference_round(document_totals)),
                                        (100 - first_weight,
                                         reference_round(presentation_totals))])
            assert scores[application.pk].final_score == expected
            assert scores[application.pk].base_score == expected  # no bonus claimed
        inputs = run_inputs(call)
        assert rule_version_for(inputs) == f"{RULE_VERSION}-rounds"
        assert {c["application_id"]: c["final_score"] for c in inputs["candidates"]} == {
            pk: str(s.final_score) for pk, s in scores.items()}
        transaction.set_rollback(True)

