"""The awards sections of the dashboard: a company's notices; staff and operators' links."""

from . import selectors


def sections(request):
    user = request.user
    result = []
    if user.is_staff or user.is_operator:
        result.append({"template": "awards/_dashboard_staff.html"})
    notices = selectors.company_notices(user)
    if notices is not None:
        result.append({"template": "awards/_dashboard_notices.html", "notices": notices})
    return result
