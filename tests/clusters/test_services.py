from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from applications.enums import ApplicationStatus
from applications.models import BonusClaim, PlanVersion, StateChange
from clusters import invitations, services, submission
from clusters.enums import ClusterNoticeKind, ClusterStatus
from clusters.models import Cluster, ClusterMember, ClusterNotice
from companies import services as company_services
from tests.factories.applications import CompanyFactory, SupplierFactory
from tests.factories.clusters import (
    ClusterFactory,
    ClusterInvitationFactory,
    ClusterMemberFactory,
    complete_part,
    demo_cluster_track,
    lead_user,
    make_cluster,
    member_user,
    user_for,
    valid_part,
)
from tests.factories.portal import UserFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def track(demo):
    return demo_cluster_track()


@pytest.fixture
def call(track):
    return track.call


def shared(**overrides):
    data = {"name": "장류 발효 클러스터", "shared_process": "배합 → 발효 → 포장",
            "supplier": None, "supplier_name": "", "supplier_registration_number": "",
            "common_system": "공동 MES", "system_scope": "발효 공정 데이터 수집"}
    data.update(overrides)
    return data


def close_call(call):
    call.opens_at = timezone.now() - timedelta(days=30)
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save(update_fields=["opens_at", "closes_at"])


# --- Opening ---------------------------------------------------------------------------------

def test_open_cluster_with_pool_supplier_makes_lead_member(call, track):
    company = CompanyFactory()
    user = user_for(company)
    supplier = SupplierFactory(approved=True)

    cluster = services.open_cluster(user=user, call=call, **shared(supplier=supplier))

    assert (cluster.track, cluster.lead_company, cluster.supplier, cluster.status) == (
        track, company, supplier, ClusterStatus.DRAFT)
    assert list(cluster.members.values_list("company_id", "role")) == [(company.pk, "lead")]


def test_open_cluster_supplier_outside_pool_without_number_refused(call):
    user = user_for(CompanyFactory())

    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=user, call=call, **shared(supplier_name="외부솔루션"))

    assert error.value.message_dict == {"supplier_registration_number": [
        "A supplier outside the pool must be named with its business registration number."]}
    assert Cluster.objects.count() == 0


def test_open_cluster_supplier_outside_pool_with_number_accepted(call):
    user = user_for(CompanyFactory())

    cluster = services.open_cluster(user=user, call=call, **shared(
        supplier_name="외부솔루션", supplier_registration_number="220-81-62517"))

    assert (cluster.supplier, cluster.supplier_name, cluster.supplier_registration_number) == (
        None, "외부솔루션", "2208162517")


def test_open_cluster_unapproved_supplier_refused(call):
    user = user_for(CompanyFactory())

    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=user, call=call,
                              **shared(supplier=SupplierFactory(approved=False)))

    assert error.value.message_dict == {"supplier": ["This supplier is not in the pool yet."]}


def test_open_cluster_company_already_in_another_cluster_refused(call):
    other = make_cluster(2, complete=False)
    member = other.members.get(role="member")

    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=member_user(member), call=call,
                              **shared(supplier=SupplierFactory()))

    assert error.value.messages == [
        f"{member.company.name} is already in the cluster “{other.name}” for this call."]


def test_open_cluster_without_company_refused(call):
    with pytest.raises(ValidationError) as error:
        services.open_cluster(user=UserFactory(), call=call, **shared(supplier=SupplierFactory()))

    assert error.value.messages == ["Register your company before opening a cluster."]


# --- Invitations -----------------------------------------------------------------------------

def test_invite_member_sends_email_with_token_link(call, django_capture_on_commit_callbacks):
    cluster = ClusterFactory()
    lead = user_for(cluster.lead_company)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invite_member(cluster, user=lead,
                                            registration_number="124-81-00998",
                                            email="ceo@member.test")

    assert (invitation.registration_number, invitation.email) == ("1248100998",
                                                                  "ceo@member.test")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ceo@member.test"]
    assert f"/clusters/invitations/{invitation.token}/" in mail.outbox[0].body


def test_invite_wrong_check_digit_refused(call):
    cluster = ClusterFactory()

    with pytest.raises(ValidationError) as error:
        invitations.invite_member(cluster, user=lead_user_or_new(cluster),
                               registration_number="124-81-00999", email="a@b.test")

    assert error.value.message_dict == {"registration_number": [
        "This business registration number is not valid: its check digit does not match."]}


def lead_user_or_new(cluster):
    return user_for(cluster.lead_company)


def test_invite_lead_itself_refused(call):
    cluster = ClusterFactory()

    with pytest.raises(ValidationError) as error:
        invitations.invite_member(cluster, user=lead_user_or_new(cluster),
                               registration_number=cluster.lead_company.registration_number,
                               email="self@lead.test")

    assert error.value.message_dict == {"registration_number": [
        "This is the lead company's own registration number: the lead company is already in "
        "the cluster."]}


def test_invite_company_in_another_cluster_of_the_call_refused(call):
    other = make_cluster(2, complete=False)
    taken = other.members.get(role="member").company
    cluster = ClusterFactory()

    with pytest.raises(ValidationError) as error:
        invitations.invite_member(cluster, user=lead_user_or_new(cluster),
                               registration_number=taken.registration_number, email="x@y.test")

    assert error.value.message_dict == {"registration_number": [
        f"The company {taken.registration_number_display} is already in another cluster for "
        "this call."]}


def test_invite_same_company_twice_refused(call):
    cluster = ClusterFactory()
    lead = lead_user_or_new(cluster)
    invitations.invite_member(cluster, user=lead, registration_number="1248100998",
                           email="a@b.test")

    with pytest.raises(ValidationError) as error:
        invitations.invite_member(cluster, user=lead, registration_number="1248100998",
                               email="c@d.test")

    assert error.value.message_dict == {"registration_number": [
        "This company has already been invited. Cancel that invitation to send a new one."]}


def test_accept_invitation_by_invited_email_of_the_company_joins(call):
    cluster = ClusterFactory()
    company = CompanyFactory()
    user = user_for(company, email="ceo@member.test")
    invitation = ClusterInvitationFactory(cluster=cluster, email="CEO@member.test",
                                          registration_number=company.registration_number)

    member = invitations.accept_invitation(invitation, user=user)

    invitation.refresh_from_db()
    assert (member.company, member.role, member.call, invitation.member) == (
        company, "member", call, member)
    assert list(cluster.notices.values_list("kind", "company_name", "active_members")) == [
        (ClusterNoticeKind.MEMBER_JOINED, company.name, 2)]


def test_accept_invitation_other_email_refused(call):
    company = CompanyFactory()
    invitation = ClusterInvitationFactory(email="ceo@member.test",
                                          registration_number=company.registration_number)
    user = user_for(company, email="someone@else.test")

    with pytest.raises(ValidationError) as error:
        invitations.accept_invitation(invitation, user=user)

    assert error.value.messages == [
        "This invitation was sent to ceo@member.test. Sign in with that address to accept it."]


def test_accept_invitation_user_of_another_company_refused(call):
    invited = CompanyFactory()
    other = CompanyFactory(name="다른회사")
    invitation = ClusterInvitationFactory(email="ceo@member.test",
                                          registration_number=invited.registration_number)
    user = user_for(other, email="ceo@member.test")

    with pytest.raises(ValidationError) as error:
        invitations.accept_invitation(invitation, user=user)

    assert error.value.messages == [
        f"Your account acts for 다른회사, but the invitation is for the company "
        f"{invited.registration_number_display}."]


def test_accept_invitation_company_joined_another_cluster_meanwhile_refused(call):
    first = ClusterFactory(name="첫 클러스터")
    company = CompanyFactory()
    ClusterMemberFactory(cluster=first, company=company)
    invitation = ClusterInvitationFactory(email="ceo@member.test",
                                          registration_number=company.registration_number)
    user = user_for(company, email="ceo@member.test")

    with pytest.raises(ValidationError) as error:
        invitations.accept_invitation(invitation, user=user)

    assert error.value.messages == [
        f"{company.name} is already in the cluster “첫 클러스터” for this call."]


def test_register_company_and_accept_makes_owner_and_member(call, demo):
    from programs.models import Region

    user = UserFactory(email="new@member.test")
    invitation = ClusterInvitationFactory(email="new@member.test",
                                          registration_number="1208147521")
    company = CompanyFactory.build(region=Region.objects.get(code="JN"), name="새회사")

    member = invitations.register_company_and_accept(invitation, company, user=user)

    assert (member.company.registration_number, member.company.name,
            user.membership.company_id, user.membership.role) == (
        "1208147521", "새회사", member.company_id, "owner")


def test_database_refuses_company_in_two_clusters_of_one_call(call):
    company = CompanyFactory()
    ClusterMemberFactory(company=company)

    with pytest.raises(IntegrityError), transaction.atomic():
        ClusterMemberFactory(company=company)


def test_database_allows_company_again_after_withdrawal(call):
    company = CompanyFactory()
    first = ClusterMemberFactory(company=company)
    first.withdrawn_at = timezone.now()
    first.save()

    second = ClusterMemberFactory(company=company)

    assert ClusterMember.objects.filter(company=company).count() == 2
    assert second.withdrawn_at is None


# --- Members' parts --------------------------------------------------------------------------

@pytest.mark.parametrize(("cost", "message"), [
    (0, "The cost must be more than zero won."),
    (-1, "The cost must be more than zero won."),
    (1_000_000_000_001, "The cost can be at most KRW 1,000,000,000,000."),
])
def test_save_part_cost_out_of_range_refused(call, cost, message):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company), cost=cost,
                                  contribution_cash=0, contribution_in_kind=0)

    assert error.value.message_dict == {"cost": [message]}
    member.refresh_from_db()
    assert (member.cost, member.part_completed_at) == (None, None)


def test_save_part_contribution_must_equal_cost_less_support(call):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company),
                                  cost=100_000_000, contribution_cash=40_000_000,
                                  contribution_in_kind=10_000_000)

    assert error.value.message_dict == {"contribution_in_kind": [
        "With a cost of KRW 100,000,000 the support is KRW 40,000,000, so the company "
        "contributes KRW 60,000,000: cash and in-kind must add up to that (they add up to "
        "KRW 50,000,000)."]}


def test_save_part_cash_below_minimum_share_refused(call):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company),
                                  cost=100_000_000, contribution_cash=29_999_999,
                                  contribution_in_kind=30_000_001)

    assert error.value.message_dict == {"contribution_cash": [
        "At least 50% of the contribution must be paid in cash: KRW 30,000,000 or more."]}


def test_save_part_priority_claim_needs_evidence(call):
    cluster = ClusterFactory()
    member = cluster.members.get()

    with pytest.raises(ValidationError) as error:
        services.save_member_part(member, user=user_for(cluster.lead_company),
                                  priority_claim=True, priority_evidence=" ",
                                  **valid_part(member, 50_000_000))

    assert error.value.message_dict == {"priority_evidence": [
        "Describe how government regulation or a policy change hurt the company, or attach "
        "evidence."]}


def test_save_part_valid_is_complete(call):
    cluster = ClusterFactory()
    member = cluster.members.get()
    user = user_for(cluster.lead_company)

    services.save_member_part(member, user=user, priority_claim=True,
                              priority_evidence="식품 포장재 규제 강화로 설비 교체",
                              **valid_part(member, 12_345_678))

    member.refresh_from_db()
    assert (member.cost, member.contribution_cash, member.contribution_in_kind,
            member.priority_claim, member.part_complete, member.part_updated_by) == (
        12_345_678, 3_086_839, 3_086_839, True, True, user)


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


# --- Suppliers -------------------------------------------------------------------------------

def test_register_supplier_waits_for_approval_then_staff_approve(db):
    user = UserFactory()
    supplier = SupplierFactory.build(approved=True)

    company_services.register_supplier(supplier, user=user)
    assert (supplier.approved, supplier.created_by) == (False, user)

    company_services.approve_supplier(supplier, user=UserFactory(is_staff=True))
    supplier.refresh_from_db()
    assert supplier.approved is True


def test_approve_supplier_by_non_staff_refused(db):
    supplier = SupplierFactory(approved=False)

    with pytest.raises(ValidationError):
        company_services.approve_supplier(supplier, user=UserFactory())

    supplier.refresh_from_db()
    assert supplier.approved is False
