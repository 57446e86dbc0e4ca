"""Submitting a cluster, withdrawing it and members leaving (clusters/submission.py)."""


import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from applications.enums import ApplicationStatus
from applications.models import BonusClaim, PlanVersion, StateChange
from clusters import invitations, services, submission
from clusters.enums import ClusterNoticeKind, ClusterStatus
from clusters.models import ClusterNotice
from tests.clusters.helpers import close_call, shared
from tests.factories.clusters import (
    ClusterFactory,
    ClusterMemberFactory,
    complete_part,
    lead_user,
    make_cluster,
    member_user,
    valid_part,
)


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


# --- Submission ------------------------------------------------------------------------------

def test_submit_four_members_refused(call):
    cluster = make_cluster(4)

    with pytest.raises(ValidationError) as error:
        submission.submit_cluster(cluster, user=lead_user(cluster))

    assert error.value.messages == [
        "A cluster needs at least 5 member companies (the lead included) that have accepted "
        "and completed their part; this one has 4."]
    cluster.refresh_from_db()
    assert (cluster.status, cluster.application) == (ClusterStatus.DRAFT, None)


def test_submit_with_an_incomplete_part_refused(call):
    cluster = make_cluster(5)
    straggler = ClusterMemberFactory(cluster=cluster)

    with pytest.raises(ValidationError) as error:
        submission.submit_cluster(cluster, user=lead_user(cluster))

    assert error.value.messages == [
        f"These companies have not completed their part: {straggler.company.name}."]


def test_submit_with_a_member_outside_the_rules_refused(call):
    cluster = make_cluster(5)
    members = list(cluster.members.filter(role="member").select_related("company"))
    members[0].company.is_sme = False
    members[0].company.save()
    members[1].company.ksic_code = "G47"
    members[1].company.save()

    with pytest.raises(ValidationError) as error:
        submission.submit_cluster(cluster, user=lead_user(cluster))

    assert error.value.messages == [
        f"{members[0].company.name} is not confirmed as an SME (중소기업).",
        f"The industry code of {members[1].company.name}, G47, is not among those this call "
        "accepts."]


def test_submit_five_complete_members_issues_receipt_and_freezes_version(
        call, django_capture_on_commit_callbacks):
    cluster = make_cluster(5, costs=[100_000_000, 50_000_000, 12_345_678, 80_000_000,
                                     60_000_000])
    lead = lead_user(cluster)

    with django_capture_on_commit_callbacks(execute=True):
        submission.submit_cluster(cluster, user=lead)

    cluster.refresh_from_db()
    application = cluster.application
    version = PlanVersion.objects.get(application=application)
    assert (cluster.status, application.status, application.receipt_number,
            application.company, application.track) == (
        ClusterStatus.SUBMITTED, ApplicationStatus.SUBMITTED, "2025-CL-0001",
        cluster.lead_company, cluster.track)
    assert [(p["cost"], p["support_total"]) for p in version.data["members"]] == [
        (100_000_000, 40_000_000), (50_000_000, 25_000_000), (12_345_678, 6_172_000),
        (80_000_000, 40_000_000), (60_000_000, 30_000_000)]
    assert (version.number, version.total_cost, version.requested_support) == (
        1, 302_345_678, 141_172_000)
    assert version.data["shared"]["supplier_name"] == cluster.supplier.name
    assert list(cluster.state_changes.values_list("from_status", "to_status", "actor")) == [
        ("draft", "submitted", lead.pk)]
    assert list(StateChange.objects.filter(application=application)
                .values_list("from_status", "to_status")) == [("draft", "submitted")]
    assert len(mail.outbox) == 5


def test_submit_twice_refused(call):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))

    with pytest.raises(ValidationError) as error:
        submission.submit_cluster(cluster, user=lead_user(cluster))

    assert error.value.messages == ["The cluster has already been submitted."]
    assert PlanVersion.objects.count() == 1


def test_submit_receipt_numbers_follow_each_other(call):
    first, second = make_cluster(5), make_cluster(5)

    submission.submit_cluster(first, user=lead_user(first))
    submission.submit_cluster(second, user=lead_user(second))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.application.receipt_number, second.application.receipt_number) == (
        "2025-CL-0001", "2025-CL-0002")


def test_submit_priority_claim_becomes_unverified_regulation_bonus_claim(call):
    cluster = make_cluster(5)
    claimant = cluster.members.filter(role="member").first()
    complete_part(claimant, 60_000_000, priority_claim=True,
                  priority_evidence="포장재 규제 강화")

    submission.submit_cluster(cluster, user=lead_user(cluster))

    claim = BonusClaim.objects.get(application__cluster=cluster)
    assert (claim.bonus_item.code, claim.verified, claim.evidence) == (
        "regulation", None,
        f"{claimant.company.name} ({claimant.company.registration_number_display}): "
        "포장재 규제 강화")


def test_submit_without_priority_claims_makes_no_bonus_claim(call):
    cluster = make_cluster(5)

    submission.submit_cluster(cluster, user=lead_user(cluster))

    assert BonusClaim.objects.count() == 0


def test_submit_after_deadline_refused(call):
    cluster = make_cluster(5)
    close_call(call)

    with pytest.raises(ValidationError) as error:
        submission.submit_cluster(cluster, user=lead_user(cluster))

    assert error.value.code == "closed"


def test_edit_after_deadline_refused_everywhere(call):
    cluster = make_cluster(5)
    member = cluster.members.filter(role="member").first()
    close_call(call)
    cluster.refresh_from_db()
    lead = lead_user(cluster)

    calls = [
        lambda: services.update_shared_part(cluster, user=lead, **shared(
            supplier=cluster.supplier)),
        lambda: invitations.invite_member(cluster, user=lead, registration_number="1248100998",
                                       email="a@b.test"),
        lambda: services.save_member_part(member, user=member_user(member),
                                          **valid_part(member, 10_000_000)),
        lambda: submission.withdraw_member(member, user=member_user(member)),
    ]
    codes = []
    for attempt in calls:
        with pytest.raises(ValidationError) as error:
            attempt()
        codes.append(error.value.code)
    assert codes == ["closed", "closed", "closed", "closed"]


def test_change_of_submitted_cluster_refused_until_lead_withdraws(call):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    member = cluster.members.filter(role="member").first()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=member_user(member),
                                  **valid_part(member, 10_000_000))

    assert error.value.code == "submitted"


def test_cluster_transition_not_allowed_refused(call):
    cluster = ClusterFactory()

    with pytest.raises(services.ClusterTransitionNotAllowed):
        services.change_cluster_status(cluster, ClusterStatus.DRAFT)

    assert cluster.state_changes.count() == 0


# --- Withdrawal ------------------------------------------------------------------------------

def test_member_withdrawal_below_five_returns_cluster_to_draft_and_tells_members(
        call, django_capture_on_commit_callbacks):
    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    leaving = cluster.members.filter(role="member").last()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submission.withdraw_member(leaving, user=member_user(leaving), reason="자금 사정")

    cluster.refresh_from_db()
    leaving.refresh_from_db()
    assert (cluster.status, cluster.application.status, leaving.withdrawn_reason) == (
        ClusterStatus.DRAFT, ApplicationStatus.WITHDRAWN, "자금 사정")
    assert list(cluster.state_changes.values_list("from_status", "to_status")) == [
        ("draft", "submitted"), ("submitted", "draft")]
    assert cluster.state_changes.last().reason == (
        f"{leaving.company.name} withdrew; 4 members remain, fewer than 5.")
    remaining_emails = sorted(member_user(m).email for m in cluster.members.filter(
        withdrawn_at__isnull=True))
    assert sorted(m.to[0] for m in mail.outbox) == remaining_emails
    assert ClusterNotice.objects.filter(cluster=cluster).first().kind == (
        ClusterNoticeKind.RETURNED_TO_DRAFT)


def test_member_withdrawal_from_six_keeps_cluster_submitted_with_new_version(call):
    cluster = make_cluster(6)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    leaving = cluster.members.filter(role="member").last()

    submission.withdraw_member(leaving, user=member_user(leaving))

    cluster.refresh_from_db()
    versions = list(cluster.application.versions.order_by("number"))
    assert (cluster.status, cluster.application.status) == (ClusterStatus.SUBMITTED,
                                                            ApplicationStatus.SUBMITTED)
    assert [(v.number, len(v.data["members"]), v.total_cost) for v in versions] == [
        (1, 6, 360_000_000), (2, 5, 300_000_000)]


def test_resubmission_after_return_to_draft_keeps_receipt_number(call):
    cluster = make_cluster(6)
    lead = lead_user(cluster)
    submission.submit_cluster(cluster, user=lead)
    submission.withdraw_submission(cluster, user=lead)
    cluster.refresh_from_db()

    submission.submit_cluster(cluster, user=lead)

    cluster.refresh_from_db()
    application = cluster.application
    assert (application.status, application.receipt_number,
            application.versions.count()) == (ApplicationStatus.SUBMITTED, "2025-CL-0001", 2)
    assert list(StateChange.objects.filter(application=application)
                .values_list("from_status", "to_status")) == [
        ("draft", "submitted"), ("submitted", "withdrawn"), ("withdrawn", "draft"),
        ("draft", "submitted")]


def test_lead_cannot_leave_its_cluster(call):
    cluster = make_cluster(5)

    with pytest.raises(ValidationError) as error:
        submission.withdraw_member(cluster.members.get(role="lead"), user=lead_user(cluster))

    assert error.value.messages == ["The lead company cannot leave its own cluster."]


def test_member_withdrawal_refused_once_screening_began(call):
    from applications.services import transition

    cluster = make_cluster(5)
    submission.submit_cluster(cluster, user=lead_user(cluster))
    cluster.refresh_from_db()
    transition(cluster.application, ApplicationStatus.ELIGIBLE)
    leaving = cluster.members.filter(role="member").last()

    with pytest.raises(ValidationError) as error:
        submission.withdraw_member(leaving, user=member_user(leaving))

    assert error.value.messages == [
        "Screening of this cluster has begun; contact the programme's operator."]
    leaving.refresh_from_db()
    assert leaving.withdrawn_at is None
