"""The award preview shows a bounded page of result lines, whatever the size of the run."""

from django.test import Client

from awards import views
from awards.enums import RunStatus
from tests.awards.conftest import NAT
from tests.factories.awards import AwardRunFactory, ResultLineFactory
from tests.factories.programs import TrackFactory


def test_run_page_size_bounded(db, role_users, monkeypatch):
    assert views.RunDetailView.paginate_by == 50
    monkeypatch.setattr(views.RunDetailView, "paginate_by", 2)
    staff = role_users["staff"]
    track = TrackFactory()
    run = AwardRunFactory(call=track.call, started_by=staff, status=RunStatus.PREVIEW,
                          inputs_hash="0" * 64,
                          inputs={"budget_lines": [{"source": NAT, "amount": 10**9,
                                                    "committed": 0}]})
    ResultLineFactory.create_batch(3, run=run, application__track=track)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)

    first = client.get(f"/manage/awards/runs/{run.pk}/")
    second = client.get(f"/manage/awards/runs/{run.pk}/?page=2")

    assert (len(first.context["lines"]), first.context["page_obj"].has_next(),
            len(second.context["lines"]), second.context["page_obj"].has_next()) == (
        2, True, 1, False)
