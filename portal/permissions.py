"""Every permission of the portal, declared once: who may view, change or download each kind
of object (django-rules). Each line composes named predicates imported from the app that owns
the fact they test (``portal.rules`` for roles, ``companies.rules`` for company membership,
``reviews.rules`` for assignments…), so a permission that spans apps — a document that an
assigned reviewer may open, say — is written here whole, never widened at import time.

Loaded from ``PortalConfig.ready()``. Views look objects up in querysets scoped to the user
first (each app's ``selectors``); these rules are the second line and what views declare.
"""

import rules

from applications.rules import operates_application_region
from awards.rules import is_member_of_notice_company
from clusters.rules import is_cluster_lead, is_cluster_member, is_members_company, is_plain_member
from companies.rules import (
    has_company,
    is_approved_supplier,
    is_company_member,
    may_register_company,
)
from inquiries.rules import (
    asked_by_user,
    asked_by_users_company,
    is_public_and_answered,
    operates_questions_call,
)
from programs.rules import is_published, operates_announcement, operates_call
from reviews.rules import (
    has_cleared_conflict,
    has_conflict_by_registration,
    has_declared_conflict,
    is_own_active_assignment,
    is_reviewer,
    is_submitted,
    reviews_document,
)
from settlement.rules import (
    inspects_project,
    is_assigned_inspector,
    is_member_of_project_company,
    operates_project_call,
)

from .rules import is_operator, is_signed_in, is_staff

PERMISSIONS = {}


def declare(name: str, predicate) -> None:
    PERMISSIONS[name] = predicate
    rules.add_perm(name, predicate)


# --- Programmes, calls and announcements (programs) ----------------------------------------
can_manage_announcement = is_staff | (is_operator & operates_announcement)
declare("programs.manage_announcements", is_staff | is_operator)
declare("programs.change_announcement_content", can_manage_announcement)
declare("programs.view_announcement", is_published | can_manage_announcement)
declare("programs.manage_call", is_staff | (is_operator & operates_call))

# --- Companies, their members and the supplier pool (companies) ----------------------------
declare("companies.register_company", may_register_company)
declare("companies.view_company", is_company_member)
declare("companies.change_company", is_company_member)
declare("companies.invite_member", is_company_member)
declare("companies.register_supplier", is_signed_in)
declare("companies.view_supplier", is_approved_supplier | is_staff)
declare("companies.approve_supplier", is_staff)

# --- Applications, plans and documents (applications) --------------------------------------
# Who may see a plan (an application and its versions): its company, staff, and the operator
# of its region. Who may download a document: its company, staff, and an active reviewer
# assigned to the application without a conflict.
can_edit_application = is_company_member
declare("applications.apply", has_company)
declare("applications.view_application",
        is_company_member | is_staff | (is_operator & operates_application_region))
declare("applications.change_application", can_edit_application)
declare("applications.submit_application", can_edit_application)
declare("applications.view_document", is_company_member | is_staff | reviews_document)
declare("applications.screen_application", is_staff)
declare("applications.verify_bonus_claim", is_staff)
declare("applications.view_region_applications", is_staff | is_operator)

# --- Clusters (clusters) -------------------------------------------------------------------
# Companies open clusters; staff and operators act on them from the admin instead.
declare("clusters.open_cluster", is_signed_in & ~is_staff & ~is_operator)
declare("clusters.view_cluster", is_staff | is_cluster_member)
declare("clusters.manage_cluster", is_cluster_lead)
declare("clusters.edit_cluster_part", is_members_company)
declare("clusters.leave_cluster", is_members_company & is_plain_member)
# The invitation's token is the secret; the page then checks the account's email and company.
declare("clusters.accept_cluster_invitation", is_signed_in)

# --- Reviews (reviews) ---------------------------------------------------------------------
may_see_parties = is_own_active_assignment & ~has_declared_conflict \
    & ~has_conflict_by_registration
declare("reviews.view_queue", is_reviewer)
declare("reviews.answer_conflict", may_see_parties & ~is_submitted)
declare("reviews.score", may_see_parties & has_cleared_conflict)
declare("reviews.manage", is_staff)

# --- Award runs, budgets and notices (awards) ----------------------------------------------
# Who may download a notice: its company's members and staff.
declare("awards.run_awards", is_staff)
declare("awards.view_budgets", is_staff | is_operator)
declare("awards.view_budget", is_staff | (is_operator & operates_call))
declare("awards.download_notice", is_staff | is_member_of_notice_company)

# --- Inquiries and results (inquiries, results) --------------------------------------------
can_answer = is_staff | (is_operator & operates_questions_call)
declare("inquiries.view_question",
        is_public_and_answered | asked_by_user | asked_by_users_company | can_answer)
declare("inquiries.answer_question", can_answer)
declare("inquiries.view_inbox", is_staff | is_operator)
declare("inquiries.ask", is_signed_in)
declare("results.publish", is_staff)

# --- Payments, completion reports and settlement (settlement) ------------------------------
# The company's members see their project and file its completion report; staff and the
# region's operator follow every project of their calls; ministry staff alone move money
# (deposits, payment orders, settlements, refunds) and clear flags.
declare("settlement.view_project",
        is_staff | (is_operator & operates_project_call) | is_member_of_project_company)
declare("settlement.report_completion", is_member_of_project_company)
declare("settlement.follow_projects", is_staff | is_operator)
declare("settlement.manage_money", is_staff)
declare("settlement.inspect", is_assigned_inspector)
# The evidence files (deposit records, proofs of payment, inspection photos): whoever sees the
# project, and its inspectors.
declare("settlement.view_evidence",
        is_staff | (is_operator & operates_project_call) | is_member_of_project_company
        | inspects_project)
