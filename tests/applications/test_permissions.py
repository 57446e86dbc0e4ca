"""Every URL of the applications app × every role → the expected status.

``company`` is a member of the company whose application is used here; ``other_company``, a
member of another company, guessing its URLs gets 404 like everyone else without the right.
"""

import pytest

from applications.enums import ApplicationStatus
from applications.models import Application, BusinessPlan
from applications.services import submit_application
from programs.models import Call
from tests.factories.applications import (
    BonusClaimFactory,
    InvitationFactory,
    make_complete_application,
)
from tests.permissions import expect_matrix

ROLES = ("anonymous", "company", "other_company", "operator_gb", "operator_jn", "reviewer",
         "staff")


def statuses(default, **overrides):
    return {**dict.fromkeys(ROLES, default), "anonymous": 302, **overrides}


MEMBER_ONLY = statuses(404, company=200)
MEMBER_POST = statuses(404, company=302)


@pytest.fixture
def submitted(role_users):
    """The company role's submitted Gyeongbuk application, with documents and a claim."""
    company = role_users["company"].membership.company
    track = Call.objects.get(code="2025-GB").tracks.get(kind="basic")
    application = make_complete_application(track, company=company)
    BonusClaimFactory(application=application,
                      bonus_item=track.call.bonus_items.get(code="exporter"))
    submit_application(application, user=role_users["company"], revision=0)
    return application


def test_company_pages(role_users, submitted):
    expect_matrix(role_users, "/company/", statuses(404, company=200, other_company=200,
                                                    reviewer=302))
    expect_matrix(role_users, "/company/edit/", statuses(404, company=200, other_company=200,
                                                         reviewer=302))
    expect_matrix(role_users, "/company/new/", statuses(404, company=302, other_company=302,
                                                        reviewer=200))
    expect_matrix(role_users, "/company/invite/",
                  statuses(404, company=302, other_company=302, reviewer=302),
                  method="post", data={"email": "colleague@example.test"})


def test_invitation_link_opens_for_everyone(role_users, submitted):
    """Signed out, it names the company and leads to sign-up or sign-in (accepting needs an
    account: tests/accounts/test_next.py)."""
    invitation = InvitationFactory(company=submitted.company)
    expect_matrix(role_users, f"/company/invitations/{invitation.token}/",
                  statuses(200, anonymous=200))
    expect_matrix(role_users, "/company/invitations/00000000-0000-0000-0000-000000000000/",
                  statuses(404, anonymous=404))


def test_start_page(role_users, submitted):
    url = f"/applications/start/{submitted.call_id}/"
    expect_matrix(role_users, url, statuses(404, company=302, other_company=200, reviewer=302))


@pytest.mark.parametrize("path", [
    "", "plan/company/", "plan/production/", "plan/plan/", "plan/budget/", "plan/kpis/",
    "plan/schedule/", "plan/bonus/", "documents/", "submit/"])
def test_member_pages(role_users, submitted, path):
    expect_matrix(role_users, f"/applications/{submitted.pk}/{path}", MEMBER_ONLY)


def test_unknown_step_is_404(role_users, submitted):
    expect_matrix(role_users, f"/applications/{submitted.pk}/plan/nothing/", statuses(404))


def test_autosave_and_support_preview(role_users, submitted):
    def reset():
        BusinessPlan.objects.filter(application=submitted).update(revision=0)

    expect_matrix(role_users, f"/applications/{submitted.pk}/plan/autosave/", MEMBER_ONLY,
                  method="post", data={"field": "systems", "systems": "MES", "revision": 0},
                  setup=reset)
    expect_matrix(role_users, f"/applications/{submitted.pk}/plan/support/", MEMBER_ONLY,
                  method="post", data={"cost_software": "1,000"})


def test_member_actions(role_users, submitted):
    base = f"/applications/{submitted.pk}/"
    expect_matrix(role_users, base + "submit/", MEMBER_POST, method="post",
                  data={"revision": 0})

    def resubmitted():
        Application.objects.filter(pk=submitted.pk).update(status=ApplicationStatus.SUBMITTED)

    expect_matrix(role_users, base + "withdraw/", MEMBER_POST, method="post",
                  setup=resubmitted)
    expect_matrix(role_users, base + "reopen/", MEMBER_POST, method="post")


def test_document_download_and_delete(role_users, submitted):
    document = submitted.documents.first()
    url = f"/applications/{submitted.pk}/documents/{document.pk}/"
    expect_matrix(role_users, url, statuses(404, company=200, staff=200))
    expect_matrix(role_users, url + "delete/", MEMBER_POST, method="post")


def test_version_page(role_users, submitted):
    expect_matrix(role_users, f"/applications/{submitted.pk}/versions/1/",
                  statuses(404, company=200, operator_gb=200, staff=200))
    expect_matrix(role_users, f"/applications/{submitted.pk}/versions/2/", statuses(404))


def test_staff_pages(role_users, submitted):
    expect_matrix(role_users, f"/staff/applications/{submitted.pk}/", statuses(404, staff=200))
    claim = submitted.bonus_claims.get()
    expect_matrix(role_users, f"/staff/applications/{submitted.pk}/bonus/{claim.pk}/",
                  statuses(404, staff=302), method="post", data={"verified": "yes"})

    def back_to_submitted():
        Application.objects.filter(pk=submitted.pk).update(status=ApplicationStatus.SUBMITTED)

    expect_matrix(role_users, f"/staff/applications/{submitted.pk}/",
                  statuses(404, staff=302), method="post",
                  data={"decision": "eligible"}, setup=back_to_submitted)


def test_operator_pages(role_users, submitted):
    expect_matrix(role_users, "/operator/applications/",
                  statuses(404, operator_gb=200, operator_jn=200, staff=200))
    expect_matrix(role_users, f"/operator/applications/{submitted.pk}/",
                  statuses(404, operator_gb=200, staff=200))


def test_admin_list_only_for_staff(role_users, submitted):
    expect_matrix(role_users, "/admin/applications/application/", statuses(302, staff=200))
    expect_matrix(role_users, f"/admin/applications/application/{submitted.pk}/change/",
                  statuses(302, staff=200))


def test_another_companys_draft_is_404_for_the_company(role_users, submitted):
    other = role_users["other_company"].membership.company
    track = Call.objects.get(code="2025-GB").tracks.get(kind="basic")
    draft = make_complete_application(track, company=other)
    document = draft.documents.first()
    for path in ("", "plan/budget/", "documents/", f"documents/{document.pk}/", "submit/"):
        expect_matrix(role_users, f"/applications/{draft.pk}/{path}",
                      statuses(404, other_company=200, staff=200 if "documents/" in path
                               and path != "documents/" else 404))
    # A draft never submitted is not shown to operators either.
    expect_matrix(role_users, f"/operator/applications/{draft.pk}/", statuses(404))
