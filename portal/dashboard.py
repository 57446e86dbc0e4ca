"""The dashboard sections of the site shell (staff and operator links)."""


def sections(request):
    user = request.user
    if user.is_staff or user.is_operator:
        return [{"template": "portal/_dashboard_staff.html"}]
    return []
