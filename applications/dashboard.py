"""The company's section of the dashboard (see ``settings.DASHBOARD_SECTIONS``)."""

import rules
from django.utils import timezone

from companies.selectors import company_of, pending_invitations
from portal.paging import window

from .selectors import (
    DASHBOARD_EXTRA_PREFETCHES,
    completeness,
    dashboard_applications,
    latest_version,
    next_step,
)

APPLICATIONS_PER_PAGE = 10


def sections(request):
    user = request.user
    invitations = list(pending_invitations(user))
    company = company_of(user)
    if company is None:
        # Reviewers are never asked to register a company (they act for no company).
        can_register = (rules.has_perm("companies.register_company", user)
                        and not hasattr(user, "reviewer_profile"))
        if not (invitations or can_register):
            return []
        return [{"template": "companies/_dashboard_no_company.html",
                 "invitations": invitations, "can_register": can_register}]
    now = timezone.now()
    rows = []
    # Ten applications a page: a company applying to every call has dozens.
    page = window(dashboard_applications(user), request, APPLICATIONS_PER_PAGE,
                  parameter="applications")
    for application in page.object_list:
        state = completeness(application)
        documents = list(application.documents.all())
        uploaded = {document.document_type_id for document in documents}
        rows.append({
            "application": application,
            "completeness": state,
            "next_step": next_step(application, state, now),
            "latest": latest_version(application),
            "documents": documents,
            "required": [(kind, kind.pk in uploaded)
                         for kind in application.call.required_documents.all()],
            "is_open": application.call.opens_at <= now < application.call.closes_at,
            # The place other apps fill (see applications/_dashboard.html).
            "notices": (list(application.notices.all())
                        if "notices" in DASHBOARD_EXTRA_PREFETCHES else []),
        })
    return [{"template": "applications/_dashboard.html", "company": company, "rows": rows,
             "invitations": invitations, "page": page}]
