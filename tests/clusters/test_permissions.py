"""Permission matrix of every cluster and supplier-pool URL × every role.

Roles are those of ``tests.permissions.make_role_users`` plus two of this file: the lead
company's user and a member company's user of one cluster. Any other role a later part of the
portal adds is a user outside the cluster, so it is expected to behave like ``company``
(see ``matrix``).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clusters import services
from clusters.enums import ClusterDocumentKind
from clusters.models import ClusterDocument
from tests.factories.applications import SupplierFactory
from tests.factories.clusters import ClusterInvitationFactory, make_cluster, member_user
from tests.permissions import expect_matrix

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cluster(demo):
    # Four companies: still a draft that cannot be submitted, so POSTs change nothing.
    return make_cluster(4)


@pytest.fixture
def member(cluster):
    return cluster.members.filter(role="member").first()


@pytest.fixture
def users(role_users, cluster, member):
    return {**role_users, "cluster_lead": member_user(cluster.members.get(role="lead")),
            "cluster_member": member_user(member)}


def matrix(users, **statuses):
    """Expected statuses by role; roles not named behave like ``company``, a user of a company
    outside the cluster."""
    return {role: statuses.get(role, statuses["company"]) for role in users}


def outsiders(users, **statuses):
    """404 for every signed-in role but those named, 302 (to sign in) for anonymous."""
    base = {role: 404 for role in users}
    base["anonymous"] = 302
    base.update(statuses)
    return base


@pytest.fixture
def shared_document(cluster):
    return services.add_shared_document(
        cluster, user=None, mime="application/pdf",
        upload=SimpleUploadedFile("견적서.pdf", PDF, content_type="application/pdf"))


@pytest.fixture
def evidence_document(cluster, member):
    return ClusterDocument.objects.create(
        cluster=cluster, member=member, kind=ClusterDocumentKind.PRIORITY_EVIDENCE,
        file=SimpleUploadedFile("규제.pdf", PDF), original_name="규제.pdf",
        content_type="application/pdf", size=len(PDF))


def test_open_cluster(users):
    expect_matrix(users, reverse("clusters:open"), matrix(
        users, anonymous=302, company=200, other_company=200,
        operator_gb=404, operator_jn=404, reviewer=200,
        staff=404, cluster_lead=200, cluster_member=200))


def test_invitation(users, cluster):
    invitation = ClusterInvitationFactory(cluster=cluster)
    # Signed out, the page names the lead company and the call and leads to sign-in.
    expect_matrix(users, reverse("clusters:invitation", args=[invitation.token]), matrix(
        users, anonymous=200, company=200, other_company=200,
        operator_gb=200, operator_jn=200, reviewer=200,
        staff=200, cluster_lead=200, cluster_member=200))


def test_cluster_detail(users, cluster):
    expect_matrix(users, reverse("clusters:detail", args=[cluster.pk]), outsiders(
        users, staff=200, cluster_lead=200, cluster_member=200))


@pytest.mark.parametrize("name", ["clusters:edit", "clusters:invite",
                                  "clusters:withdraw_submission"])
def test_lead_pages(users, cluster, name):
    expect_matrix(users, reverse(name, args=[cluster.pk]), outsiders(users, cluster_lead=200))


def test_cancel_invitation(users, cluster):
    invitation = ClusterInvitationFactory(cluster=cluster)

    def reopen():
        invitation.cancelled_at = None
        invitation.save()

    expect_matrix(users, reverse("clusters:invitation_cancel", args=[cluster.pk,
                                                                     invitation.pk]),
                  outsiders(users, cluster_lead=302), method="post", setup=reopen)


def test_submit(users, cluster):
    # A cluster of four: the lead sees the page again with the reason, nothing changes.
    expect_matrix(users, reverse("clusters:submit", args=[cluster.pk]),
                  outsiders(users, cluster_lead=200), method="post")


@pytest.mark.parametrize("name", ["clusters:part", "clusters:part_preview"])
def test_own_part(users, cluster, name):
    expect_matrix(users, reverse(name, args=[cluster.pk]), outsiders(
        users, cluster_lead=200, cluster_member=200))


def test_leave(users, cluster):
    expect_matrix(users, reverse("clusters:leave", args=[cluster.pk]), outsiders(
        users, cluster_member=200))


def test_shared_document(users, cluster, shared_document):
    expect_matrix(users, reverse("clusters:document", args=[cluster.pk, shared_document.pk]),
                  outsiders(users, staff=200, cluster_lead=200, cluster_member=200))


def test_member_evidence_document(users, cluster, evidence_document):
    expect_matrix(users, reverse("clusters:document",
                                 args=[cluster.pk, evidence_document.pk]),
                  outsiders(users, staff=200, cluster_member=200))


def test_supplier_list(users):
    SupplierFactory()
    expect_matrix(users, reverse("suppliers:list"), matrix(
        users, anonymous=200, company=200, other_company=200,
        operator_gb=200, operator_jn=200, reviewer=200,
        staff=200, cluster_lead=200, cluster_member=200))


def test_supplier_detail_approved(users):
    supplier = SupplierFactory(approved=True)
    expect_matrix(users, reverse("suppliers:detail", args=[supplier.pk]), matrix(
        users, anonymous=200, company=200, other_company=200,
        operator_gb=200, operator_jn=200, reviewer=200,
        staff=200, cluster_lead=200, cluster_member=200))


def test_supplier_detail_unapproved(users):
    supplier = SupplierFactory(approved=False)
    expect_matrix(users, reverse("suppliers:detail", args=[supplier.pk]), matrix(
        users, anonymous=404, company=404, other_company=404,
        operator_gb=404, operator_jn=404, reviewer=404,
        staff=200, cluster_lead=404, cluster_member=404))


def test_supplier_register(users):
    expect_matrix(users, reverse("suppliers:register"), matrix(
        users, anonymous=302, company=200, other_company=200,
        operator_gb=200, operator_jn=200, reviewer=200,
        staff=200, cluster_lead=200, cluster_member=200))


def test_supplier_approve(users):
    supplier = SupplierFactory(approved=False)

    def unapprove():
        supplier.approved = False
        supplier.save()

    expect_matrix(users, reverse("suppliers:approve", args=[supplier.pk]), matrix(
        users, anonymous=302, company=404, other_company=404,
        operator_gb=404, operator_jn=404, reviewer=404,
        staff=302, cluster_lead=404, cluster_member=404), method="post", setup=unapprove)
