import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils import timezone, translation

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Application, BusinessPlan, PlanVersion, StateChange
from companies import services as company_services
from companies.enums import MembershipRole
from companies.models import Company, Invitation, Membership
from programs.models import Region
from tests.factories.applications import (
    BonusClaimFactory,
    CompanyFactory,
    InvitationFactory,
    MembershipFactory,
    make_complete_application,
)
from tests.factories.portal import UserFactory

S = ApplicationStatus


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- Companies and invitations ---------------------------------------------------------------

def company_fields(region, number="1208147521"):
    return dict(name="새회사", registration_number=number, representative="이대표",
                address="경상북도 구미시 1", region=region, ksic_code="C10", is_sme=True,
                employees=10, revenue=1_000_000_000)


def test_register_company_makes_the_user_its_owner(demo):
    user = UserFactory()
    company = company_services.register_company(
        user, **company_fields(Region.objects.get(code="GB")))
    assert (company.registration_number_display, user.membership.company,
            user.membership.role) == ("120-81-47521", company, MembershipRole.OWNER)


def test_register_company_twice_refused_and_says_how_to_join(company):
    user = UserFactory()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        company_services.register_company(user, **company_fields(company.region, "1248100998"))
    assert messages_of(error.value) == [
        "A company with the business registration number 124-81-00998 is already registered "
        "on the portal. To act for it, ask one of its members to invite you: members invite "
        "colleagues by email from the company page."]
    assert Company.objects.count() == 1


def test_invite_member_emails_a_link_with_the_token(company, member,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = company_services.invite_member(company, " New@Example.test ",
                                                    invited_by=member)
    assert invitation.email == "new@example.test"
    assert [m.to for m in mail.outbox] == [["new@example.test"]]
    assert f"/company/invitations/{invitation.token}/" in mail.outbox[0].body


def test_invite_member_again_resends_the_pending_invitation(company, member,
                                                            django_capture_on_commit_callbacks):
    first = company_services.invite_member(company, "new@example.test", invited_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        second = company_services.invite_member(company, "NEW@example.test", invited_by=member)
    assert (second, Invitation.objects.count(), len(mail.outbox)) == (first, 1, 1)


def test_invite_existing_member_refused(company, member, colleague):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        company_services.invite_member(company, "colleague@demo.test", invited_by=member)
    assert messages_of(error.value) == ["colleague@demo.test is already a member of the "
                                        "company."]


def test_accept_invitation_joins_the_company(company, member):
    invitation = InvitationFactory(company=company, email="Joiner@example.test",
                                   invited_by=member)
    joiner = UserFactory(email="joiner@example.test")
    membership = company_services.accept_invitation(invitation, joiner)
    invitation.refresh_from_db()
    assert (membership.company, membership.role, invitation.accepted_by) == (
        company, MembershipRole.MEMBER, joiner)


@pytest.mark.parametrize("case, expected", [
    ("other_email", "This invitation was sent to joiner@example.test. Sign in with that "
                    "address to accept it."),
    ("used", "This invitation has already been used."),
    ("expired", "This invitation has expired. Ask the company for a new one."),
    ("other_company", "Your account already acts for 다른회사; an account belongs to one "
                      "company only."),
])
def test_accept_invitation_refused(company, member, case, expected):
    invitation = InvitationFactory(company=company, email="joiner@example.test")
    user = UserFactory(email="joiner@example.test")
    if case == "other_email":
        user = UserFactory(email="someone@example.test")
    elif case == "used":
        invitation.accepted_at = timezone.now()
        invitation.save()
    elif case == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=timezone.now() - timedelta(days=15))
    else:
        MembershipFactory(user=user, company=CompanyFactory(name="다른회사"))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        company_services.accept_invitation(invitation, user)
    assert messages_of(error.value) == [expected]


# --- Starting and saving -----------------------------------------------------------------------

def test_start_application_twice_returns_the_existing_one(company, gb_basic, gb_advanced,
                                                          member):
    first, created = services.start_application(company, gb_basic, user=member)
    again, created_again = services.start_application(company, gb_advanced, user=member)
    assert (created, created_again, again, first.plan.revision) == (True, False, first, 0)


def test_start_application_refused_when_the_window_is_closed(company, gb_basic, member):
    with pytest.raises(services.EditingClosed):
        services.start_application(company, gb_basic, user=member,
                                   now=gb_basic.call.closes_at)
    assert Application.objects.count() == 0


def test_save_plan_raises_the_revision(application, member):
    revision = services.save_plan(application, {"systems": "<script>alert(1)</script>"},
                                  revision=0, user=member)
    plan = BusinessPlan.objects.get(application=application)
    assert (revision, plan.revision, plan.systems, plan.updated_by) == (
        1, 1, "<script>alert(1)</script>", member)


def test_save_plan_two_members_second_refused_nothing_overwritten(application, member,
                                                                   colleague):
    """Both open the plan at revision 0; the first save wins, the second is told."""
    services.save_plan(application, {"systems": "첫 번째 회원의 계획"}, revision=0, user=member)
    with translation.override("en"), pytest.raises(services.PlanConflict) as error:
        services.save_plan(application, {"systems": "두 번째 회원의 계획"}, revision=0,
                           user=colleague)
    assert messages_of(error.value) == [
        "The plan was changed by someone else since you opened it. Your input is shown below "
        "and was not saved: reload the page to see the current plan, then enter your changes "
        "again."]
    plan = BusinessPlan.objects.get(application=application)
    assert (plan.systems, plan.revision, plan.updated_by) == ("첫 번째 회원의 계획", 1, member)


def test_save_plan_after_the_deadline_refused_draft_kept(application, member):
    with pytest.raises(services.EditingClosed):
        services.save_plan(application, {"systems": "늦은 수정"}, revision=0, user=member,
                           now=application.call.closes_at + timedelta(seconds=1))
    assert BusinessPlan.objects.get(application=application).systems == "MES와 발효조 온도 " \
                                                                         "모니터링 센서"


def test_autosave_field_only_long_text(application, member):
    assert services.autosave_field(application, "production_problems", "온도 편차",
                                   revision=0, user=member) == 1
    with pytest.raises(ValueError):
        services.autosave_field(application, "cost_software", "1", revision=1, user=member)


def test_save_plan_claims_new_evidence_needs_verification_again(application, member):
    claim = BonusClaimFactory(application=application, verified=True)
    services.save_plan(application, {}, revision=0, user=member,
                       claims={claim.bonus_item: "새 증빙"})
    claim.refresh_from_db()
    assert (claim.evidence, claim.verified) == ("새 증빙", None)
    services.save_plan(application, {}, revision=1, user=member, claims={claim.bonus_item: None})
    assert application.bonus_claims.count() == 0


# --- Submission ----------------------------------------------------------------------------

def test_submit_freezes_a_version_with_support_and_rules(application, member,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version, created = services.submit_application(application, user=member, revision=0)
    application.refresh_from_db()
    assert (created, version.number, application.status, application.receipt_number) == (
        True, 1, S.SUBMITTED, "2025-GB-0001")
    assert (version.total_cost, version.requested_support) == (90_000_000, 54_000_000)
    assert version.data["support"] == {
        "project_cost": 90_000_000, "eligible_cost": 90_000_000,
        "shares": {"provincial": 27_000_000, "municipal": 27_000_000},
        "total": 54_000_000, "contribution": 36_000_000}
    assert version.data["rules"] == {
        "shares": [{"source": "provincial", "rate": "0.3000", "cap": None},
                   {"source": "municipal", "rate": "0.3000", "cap": None}],
        "rounding_unit": 1000, "max_project_cost": 100_000_000, "total_cap": 70_000_000}
    assert version.data["plan"]["contribution_cash"] == 27_000_000
    assert len(version.data["documents"]) == 4
    assert list(application.state_changes.values_list("from_status", "to_status", "actor")) == [
        (S.DRAFT, S.SUBMITTED, member.pk)]
    assert [m.to for m in mail.outbox] == [["owner@demo.test"]]
    assert "2025-GB-0001" in mail.outbox[0].subject


def test_submit_twice_at_the_same_revision_makes_one_version(application, member,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = services.submit_application(application, user=member, revision=0)
        second, created = services.submit_application(application, user=member, revision=0)
    assert (second, created, PlanVersion.objects.count(), len(mail.outbox)) == (
        first, False, 1, 1)
    assert Application.objects.get().receipt_number == "2025-GB-0001"


def test_receipt_numbers_follow_each_other_per_call(application, member, gb_basic, demo):
    other = make_complete_application(gb_basic)
    jn = make_complete_application(
        gb_basic.call.__class__.objects.get(code="2025-JN").tracks.get(kind="basic"),
        company=CompanyFactory(region=Region.objects.get(code="JN")))
    services.submit_application(application, user=member, revision=0)
    services.submit_application(other, user=None, revision=0)
    services.submit_application(jn, user=None, revision=0)
    assert sorted(Application.objects.values_list("receipt_number", flat=True)) == [
        "2025-GB-0001", "2025-GB-0002", "2025-JN-0001"]


def test_resubmission_after_an_edit_creates_version_two(application, member):
    services.submit_application(application, user=member, revision=0)
    revision = services.save_plan(application, {"systems": "MES + 비전 검사"}, revision=0,
                                  user=member)
    version, created = services.submit_application(application, user=member,
                                                   revision=revision)
    application.refresh_from_db()
    assert (created, version.number, version.data["plan"]["systems"], application.status,
            application.receipt_number) == (True, 2, "MES + 비전 검사", S.SUBMITTED,
                                            "2025-GB-0001")
    assert list(StateChange.objects.values_list("from_status", "to_status")) == [
        (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.SUBMITTED)]
    assert application.versions.latest().number == 2


def test_submit_after_the_deadline_refused_draft_kept(application, member):
    closes = application.call.closes_at
    with translation.override("en"), pytest.raises(services.SubmissionRefused) as error:
        services.submit_application(application, user=member, revision=0,
                                    now=closes + timedelta(seconds=1))
    assert messages_of(error.value)[0].startswith("The application window closed on ")
    application.refresh_from_db()
    assert (application.status, application.receipt_number, PlanVersion.objects.count(),
            application.plan.total_cost) == (S.DRAFT, None, 0, 90_000_000)


def test_submit_incomplete_lists_every_reason(application, member):
    application.company.is_sme = False
    application.company.save()
    BusinessPlan.objects.filter(application=application).update(kpis=[], cost_software=0,
                                                                 cost_hardware=0,
                                                                 cost_consulting=0)
    application.documents.filter(document_type__code="financial-statements").delete()
    with translation.override("en"), pytest.raises(services.SubmissionRefused) as error:
        services.submit_application(application, user=member, revision=0)
    assert messages_of(error.value) == [
        "SME: Only SMEs may apply: confirm in the company profile that the company is an SME "
        "(중소기업).",
        "Step “Budget and support” is not complete.",
        "Step “KPIs” is not complete.",
        "The document “Latest financial statements” is missing.",
    ]
    assert Application.objects.get().status == S.DRAFT


def test_submit_with_a_stale_revision_is_a_conflict(application, member, colleague):
    services.save_plan(application, {"systems": "동료의 수정"}, revision=0, user=colleague)
    with pytest.raises(services.PlanConflict):
        services.submit_application(application, user=member, revision=0)
    assert PlanVersion.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_make_one_version_and_distinct_receipt_numbers(demo):
    """Four threads: two submit the same plan (a double click), two submit other plans of the
    same call. One version per application and receipt numbers 0001–0003 without a gap."""
    from programs.models import Call

    basic = Call.objects.get(code="2025-GB").tracks.get(kind="basic")
    applications = [make_complete_application(basic) for _ in range(3)]
    jobs = [applications[0], applications[0], applications[1], applications[2]]
    barrier = threading.Barrier(len(jobs))
    errors = []

    def submit(application):
        try:
            barrier.wait()
            for _attempt in range(50):
                try:
                    services.submit_application(application, user=None, revision=0)
                    return
                except OperationalError:  # SQLite: "database table is locked"; retry
                    threading.Event().wait(0.05)
            errors.append("gave up")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(a,)) for a in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Application.objects.values_list("receipt_number", flat=True)) == [
        "2025-GB-0001", "2025-GB-0002", "2025-GB-0003"]
    assert sorted(PlanVersion.objects.values_list("application_id", flat=True)) == sorted(
        a.pk for a in applications)


# --- Withdrawal, screening, bonus verification ----------------------------------------------

def test_withdraw_until_the_deadline(application, member):
    with translation.override("en"):
        services.submit_application(application, user=member, revision=0)
    services.withdraw_application(application, user=member, reason="사업 계획 변경")
    assert list(application.state_changes.values_list("to_status", "reason")) == [
        (S.SUBMITTED, "Submitted: version 1."), (S.WITHDRAWN, "사업 계획 변경")]


def test_withdraw_after_the_deadline_refused(application, member):
    services.submit_application(application, user=member, revision=0)
    with pytest.raises(services.EditingClosed):
        services.withdraw_application(application, user=member,
                                      now=application.call.closes_at)
    assert Application.objects.get().status == S.SUBMITTED


def test_reopen_a_withdrawn_application_then_submit_version_two(application, member):
    services.submit_application(application, user=member, revision=0)
    services.withdraw_application(application, user=member)
    services.reopen_application(application, user=member)
    version, created = services.submit_application(application, user=member, revision=0)
    assert (created, version.number, Application.objects.get().receipt_number) == (
        True, 2, "2025-GB-0001")


def test_screening_ineligible_needs_a_reason(application, member):
    staff = UserFactory(is_staff=True)
    services.submit_application(application, user=member, revision=0)
    with pytest.raises(ValidationError):
        services.screen_application(application, eligible=False, reason="  ", user=staff)
    services.screen_application(application, eligible=False, reason="휴업 중", user=staff)
    application.refresh_from_db()
    assert (application.status, application.screening_reason) == (S.INELIGIBLE, "휴업 중")
    assert application.state_changes.last().actor == staff


def test_screening_a_draft_is_not_allowed(application):
    with pytest.raises(services.TransitionNotAllowed):
        services.screen_application(application, eligible=True, user=None)


def test_verify_bonus_claim_records_who(application):
    staff = UserFactory(is_staff=True)
    claim = services.verify_bonus_claim(BonusClaimFactory(application=application),
                                        verified=True, user=staff)
    claim.refresh_from_db()
    assert (claim.verified, claim.verified_by) == (True, staff)


def test_membership_is_one_company_per_account(company, member):
    with pytest.raises(ValidationError):
        company_services.register_company(member, **company_fields(company.region))
    assert Membership.objects.filter(user=member).count() == 1
