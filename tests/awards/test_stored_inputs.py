"""A computed run stores its inputs as the canonical text it hashes (one encoding): what is
read back is what ``run_inputs`` gave, and the hash is the SHA-256 of the whole canonical
object, as it always was."""

import hashlib
import json

from awards import selectors, services
from awards.allocation import (
    RULE_VERSION,
    allocate_stored,
    canonical_json,
    inputs_hash,
    stored_plan,
)
from awards.enums import RunStatus
from awards.models import AwardRun


def whole_object_hash(inputs, rule_version):
    """The hash as ``inputs_hash`` computed it before it was given the canonical text."""
    canonical = json.dumps({"inputs": inputs, "rule_version": rule_version}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_inputs_hash_from_the_canonical_text_is_the_whole_objects():
    inputs = {"call": {"code": "2025-JB", "cutoff_score": "70.00", "이름": "전북 스마트공장"},
              "candidates": [{"score": {"totals": ["81.5", "80.0"]}, "application_id": 2,
                              "members": [], "rank": 1}],
              "tracks": [], "budget_lines": [{"source": "national", "amount": 10}]}
    for version in (RULE_VERSION, "2025.2-calibrated", "버전"):
        expected = whole_object_hash(inputs, version)
        assert inputs_hash(inputs, version) == expected
        assert inputs_hash(inputs, version, canonical=canonical_json(inputs)) == expected


def test_computed_run_stores_the_inputs_as_run_inputs_gives_them(
        jeonbuk_scored, staff):
    call, _adv, _bas = jeonbuk_scored
    run = AwardRun.objects.create(call=call, started_by=staff)
    computed = services.compute_run(run.pk)
    expected = selectors.run_inputs(call)
    stored = AwardRun.objects.get(pk=run.pk)
    assert (computed.status, stored.status) == (RunStatus.PREVIEW, RunStatus.PREVIEW)
    assert stored.inputs == expected
    assert computed.inputs == expected  # the instance keeps the dict, not the expression
    assert stored.inputs_hash == whole_object_hash(expected, RULE_VERSION)
    assert len(expected["candidates"]) == 18


def test_the_plan_read_once_gives_the_allocation_and_stability_read_twice(jeonbuk_scored):
    call, _adv, _bas = jeonbuk_scored
    reviews = selectors.scoring_reviews(call)
    inputs = selectors.run_inputs(call, reviews=reviews)
    plan = stored_plan(inputs)
    once = allocate_stored(inputs, plan=plan)
    twice = allocate_stored(inputs)
    assert once == twice
    assert services.decision_stability(call, inputs, once, reviews, plan=plan) == \
        services.decision_stability(call, inputs, twice, reviews)
    assert len(once.lines) == 18
