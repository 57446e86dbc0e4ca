"""Issue 14 item 3: a call that chose the calibrated score before its first review allocates by
it; the run records which score allocated (inputs and rule version 2025.2-calibrated). A
rule-score call's runs are computed and recorded as before."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from awards.allocation import CALIBRATED_RULE_VERSION, RULE_VERSION, inputs_hash
from awards.enums import Outcome, RunStatus
from awards.models import ResultLine
from programs.models import BudgetLine
from reviews import services as review_services
from reviews.enums import ScoreBasis
from reviews.models import CallScoring
from tests.awards.conftest import NAT
from tests.awards.test_services import start
from tests.factories.awards import reviewers, scored_application, scoring_round_of

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def lenient_and_harsh(jeonbuk):
    return make_lenient_and_harsh(jeonbuk)


def make_lenient_and_harsh(jeonbuk):
    """Ten advanced applicants at 400,000,000 (the national line funds two): a lenient reviewer
    scored five of them 81 to 89, a harsh one the other five 55 to 65."""
    call, advanced, _basic = jeonbuk
    BudgetLine.objects.filter(call=call, source=NAT).update(amount=400_000_000)
    lenient, harsh = reviewers(2)
    applications = {}
    for name, reviewer, totals in (("L", lenient, (81, 83, 85, 87, 89)),
                                   ("H", harsh, (55, 58, 60, 62, 65))):
        for total in totals:
            applications[f"{name}{total}"] = scored_application(
                advanced, cost=400_000_000, totals=(D(total),), panel=[reviewer])
    return call, applications


def outcomes(run, applications):
    by_id = {line.application_id: (line.outcome, line.rank, line.final_score)
             for line in ResultLine.objects.filter(run=run)}
    return {name: by_id[a.pk] for name, a in applications.items()}


def test_rule_score_run_is_recorded_as_before(lenient_and_harsh, staff,
                                              django_capture_on_commit_callbacks):
    call, applications = lenient_and_harsh
    run = start(call, staff, django_capture_on_commit_callbacks)

    assert (run.status, run.rule_version) == (RunStatus.PREVIEW, RULE_VERSION)
    assert "score_basis" not in run.inputs["call"]
    got = outcomes(run, applications)
    assert [name for name, (outcome, _r, _s) in got.items() if outcome == Outcome.SELECTED] == [
        "L87", "L89"]
    assert got["H65"] == (Outcome.NOT_SELECTED, 6, D("65.00"))


def test_calibrated_call_allocates_by_the_calibrated_score(jeonbuk, staff,
                                                           django_capture_on_commit_callbacks):
    call, _advanced, _basic = jeonbuk
    review_services.set_score_basis(call, ScoreBasis.CALIBRATED, actor=staff)
    _call, applications = make_lenient_and_harsh(jeonbuk)  # reviewed after the choice
    run = start(call, staff, django_capture_on_commit_callbacks)

    assert run.rule_version == CALIBRATED_RULE_VERSION == "2025.2-calibrated"
    assert run.inputs_hash == inputs_hash(run.inputs, CALIBRATED_RULE_VERSION)
    assert run.inputs["call"]["score_basis"] == "calibrated"
    got = outcomes(run, applications)
    assert {name for name, (outcome, _r, _s) in got.items() if outcome == Outcome.SELECTED} == {
        "H65", "L89"}
    assert got["H65"] == (Outcome.SELECTED, 1, D("91.42"))
    assert got["L89"] == (Outcome.SELECTED, 2, D("90.72"))
    assert got["L85"][0] == Outcome.WAITLISTED and got["L85"][2] == D("72.50")
    assert got["L81"][0] == Outcome.NOT_SELECTED
    [candidate] = [c for c in run.inputs["candidates"]
                   if c["application_id"] == applications["H65"].pk]
    assert (candidate["final_score"], candidate["rank"], candidate["score"]["final_score"],
            candidate["score"]["rank"]) == ("91.42", 1, "65.00", 6)


def test_score_basis_refused_once_a_review_is_submitted(jeonbuk, staff, english):
    call, _advanced, _basic = jeonbuk
    evaluation_round = scoring_round_of(call)
    evaluation_round.locked_at = timezone.now()
    evaluation_round.save(update_fields=["locked_at"])

    with pytest.raises(ValidationError) as error:
        review_services.set_score_basis(call, ScoreBasis.CALIBRATED, actor=staff)

    assert error.value.code == "locked"
    assert error.value.messages[0].startswith("The first review of this call was submitted on ")
    assert error.value.messages[0].endswith(": the score that allocates can no longer change.")
    assert CallScoring.objects.filter(call=call).exists() is False


def test_score_basis_refuses_an_unknown_basis(jeonbuk, staff, english):
    call, _advanced, _basic = jeonbuk
    with pytest.raises(ValidationError) as error:
        review_services.set_score_basis(call, "median", actor=staff)
    assert error.value.messages == ["Choose the rule score or the calibrated score."]


def test_run_stores_the_stability_and_its_page_shows_it(
        lenient_and_harsh, staff, django_capture_on_commit_callbacks):
    from tests.awards.test_views import client_for

    call, applications = lenient_and_harsh
    run = start(call, staff, django_capture_on_commit_callbacks)

    lines = {line.application_id: line.stability for line in ResultLine.objects.filter(run=run)}
    # Two reviewers, one review per application: leaving the lenient one out leaves their five
    # applications without a score (not selected there), so each of those keeps its outcome in
    # one of the two recomputations; the harsh one's, below the cut-off either way, in both.
    assert {name: lines[a.pk] for name, a in applications.items()} == {
        **{f"L{t}": D("50.00") for t in (81, 83, 85, 87, 89)},
        **{f"H{t}": D("100.00") for t in (55, 58, 60, 62, 65)}}

    content = client_for(staff).get(f"/manage/awards/runs/{run.pk}/").content.decode()
    assert f'<tr id="line-{applications["L89"].pk}"' in content
    assert content.count('<span class="badge text-bg-warning" title="Leaving one reviewer out') == 5
    assert content.count(">100.00%</td>") == 5
    assert "Rule score (trimmed mean + bonus)" in content


def test_a_calibrated_run_stores_the_stability_recalibrating_each_time(
        jeonbuk, staff, django_capture_on_commit_callbacks):
    call, _advanced, _basic = jeonbuk
    review_services.set_score_basis(call, ScoreBasis.CALIBRATED, actor=staff)
    _call, applications = make_lenient_and_harsh(jeonbuk)
    run = start(call, staff, django_capture_on_commit_callbacks)
    lines = {line.application_id: (line.outcome, line.stability)
             for line in ResultLine.objects.filter(run=run)}
    # Leaving the harsh reviewer out, the lenient one is the committee (unchanged totals): L89
    # and L87 are funded, L85–L81 waitlisted (at or above 70), the harsh five have no score.
    # Leaving the lenient one out, the harsh totals stay 55–65: all below the cut-off.
    assert lines[applications["H65"].pk] == (Outcome.SELECTED, D("0.00"))
    assert lines[applications["L89"].pk] == (Outcome.SELECTED, D("50.00"))
    assert lines[applications["L81"].pk] == (Outcome.NOT_SELECTED, D("50.00"))
    assert lines[applications["H55"].pk] == (Outcome.NOT_SELECTED, D("100.00"))
    assert all(stability is not None for _outcome, stability in lines.values())
