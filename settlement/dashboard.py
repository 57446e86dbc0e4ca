"""The settlement section of a company's dashboard: each of its projects with its stage and
the next step (see ``settings.DASHBOARD_SECTIONS``). One query whatever the number of
projects; none for a user who acts for no company."""

from django.utils import timezone

from . import selectors


def sections(request):
    projects = selectors.company_projects(request.user)
    if not projects:
        return []
    today = selectors.korea_date(timezone.now())
    for project in projects:
        project.next_step = selectors.project_next_step(project, today)
    return [{"template": "settlement/_dashboard_projects.html", "projects": projects}]
