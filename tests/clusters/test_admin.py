import re

import pytest
from django.test import Client
from django.urls import reverse

from clusters import submission
from tests.factories.clusters import demo_cluster_track, lead_user, make_cluster
from tests.factories.portal import UserFactory


@pytest.fixture
def staff(demo):
    demo_cluster_track()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_see_a_cluster_with_its_members_inline(staff):
    cluster = make_cluster(5, costs=[13_000_000, 27_000_000, 41_000_000, 59_000_000,
                                     73_000_000])
    submission.submit_cluster(cluster, user=lead_user(cluster))

    page = staff.get(reverse("admin:clusters_cluster_change", args=[cluster.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert [m.company.name in html for m in cluster.members.all()] == [True] * 5
    assert [figure in html for figure in ("KRW 13,000,000", "KRW 6,500,000",
                                          "KRW 73,000,000", "KRW 36,500,000")] == [True] * 4
    # The audit trail inline: who, when, from, to, why.
    assert re.findall(r'<td class="field-(?:from|to)_status">\s*<p>(\w+)</p>', html) == [
        "Draft", "Submitted"]


def test_cluster_changelist_lists_members_and_receipt(staff):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))

    page = staff.get(reverse("admin:clusters_cluster_changelist"), {"q": "2025-CL-0001"})

    html = page.content.decode()
    assert page.status_code == 200
    assert cluster.name in html
    assert '<td class="field-members_display">5</td>' in html


def test_cluster_status_is_read_only_in_admin(staff):
    cluster = make_cluster(5)

    page = staff.get(reverse("admin:clusters_cluster_change", args=[cluster.pk]))

    assert 'name="status"' not in page.content.decode()
    assert staff.get(reverse("admin:clusters_cluster_add")).status_code == 403
