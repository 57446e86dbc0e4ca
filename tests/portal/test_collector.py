import gc

import pytest

from portal.collector import cyclic_collection_paused


def test_the_collector_is_paused_inside_and_enabled_again_after():
    assert gc.isenabled()
    with cyclic_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_enabled_again_after_an_error():
    with pytest.raises(ZeroDivisionError), cyclic_collection_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused():
    gc.disable()
    try:
        with cyclic_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_the_award_computation_runs_with_the_collector_paused(monkeypatch):
    from awards import selectors, services
    from awards.enums import RunStatus
    from tests.factories.awards import AwardRunFactory

    run = AwardRunFactory(status=RunStatus.QUEUED)
    seen = []
    refusal_reason = selectors.refusal_reason

    def recording(call):
        seen.append(gc.isenabled())
        return refusal_reason(call)

    monkeypatch.setattr(selectors, "refusal_reason", recording)
    services.compute_run(run.pk)

    assert seen == [False]
    assert gc.isenabled()
