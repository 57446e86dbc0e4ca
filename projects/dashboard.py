"""The projects sections of the dashboard: a company's agreements (stage, deadline, what is
due next) and waitlist positions; staff and operators' counts and links."""

from . import selectors


def sections(request):
    user = request.user
    result = []
    if user.is_staff or user.is_operator:
        result.append({"template": "projects/_dashboard_staff.html",
                       "summary": selectors.staff_summary(user)})
    agreements = selectors.company_agreements(user)
    if agreements:
        result.append({"template": "projects/_dashboard_agreements.html",
                       "agreements": agreements})
    waitlist = selectors.company_waitlist_positions(user)
    if waitlist:
        result.append({"template": "projects/_dashboard_waitlist.html", "waitlist": waitlist})
    return result
