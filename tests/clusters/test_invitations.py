"""Inviting member companies into a cluster and accepting (clusters/invitations.py)."""


import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from clusters import invitations
from clusters.enums import ClusterNoticeKind
from clusters.models import ClusterMember
from tests.factories.applications import CompanyFactory
from tests.factories.clusters import (
    ClusterFactory,
    ClusterInvitationFactory,
    ClusterMemberFactory,
    make_cluster,
    user_for,
)
from tests.factories.portal import UserFactory


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


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
