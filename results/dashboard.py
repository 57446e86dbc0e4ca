"""The results section of the dashboard: staff's link to publishing results."""


def sections(request):
    if request.user.is_staff:
        return [{"template": "results/_dashboard_staff.html"}]
    return []
