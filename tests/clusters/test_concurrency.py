"""Two submissions at the same moment: distinct receipt numbers, and a double-clicked submit
submits once.

``submit_cluster`` locks the cluster's row, then the call's row and its receipt counter: on
PostgreSQL the second transaction waits for the first. SQLite has no row locks and refuses a
second concurrent writer ("database is locked"); the worker then tries again, as a user would.
"""


import pytest
from django.core.exceptions import ValidationError

from applications.models import PlanVersion
from clusters import submission
from clusters.models import Cluster
from programs import demo as programs_demo
from tests.concurrency import run_concurrently
from tests.factories.clusters import lead_user, make_cluster


@pytest.mark.django_db(transaction=True)
def test_two_clusters_submitted_at_once_get_distinct_receipt_numbers():
    programs_demo.load()
    clusters = [make_cluster(5), make_cluster(5)]
    leads = [lead_user(c) for c in clusters]

    outcomes, errors = run_concurrently([
        lambda c=c, u=u: submission.submit_cluster(c, user=u).pk
        for c, u in zip(clusters, leads, strict=True)])

    assert errors == []
    assert sorted(Cluster.objects.values_list("application__receipt_number", flat=True)) == [
        "2025-CL-0001", "2025-CL-0002"]


@pytest.mark.django_db(transaction=True)
def test_double_clicked_submit_submits_once():
    programs_demo.load()
    cluster = make_cluster(5)
    lead = lead_user(cluster)

    outcomes, errors = run_concurrently([
        lambda: submission.submit_cluster(Cluster.objects.get(pk=cluster.pk), user=lead).pk,
        lambda: submission.submit_cluster(Cluster.objects.get(pk=cluster.pk), user=lead).pk])

    assert outcomes == [cluster.pk]
    assert [(type(e), e.code) for e in errors] == [(ValidationError, "already_submitted")]
    assert PlanVersion.objects.count() == 1
    assert cluster.state_changes.count() == 1
