"""The predicates of the payments and settlement permissions (declared in
``portal.permissions``). Views look a project up in a queryset scoped to the user first
(``selectors.projects_for_user``), so anyone else gets 404."""

import rules

from companies.selectors import company_id_of


@rules.predicate
def is_member_of_project_company(user, project):
    return (project is not None
            and company_id_of(user) == project.agreement.application.company_id)


@rules.predicate
def operates_project_call(user, project):
    return (project is not None and project.call.region_id is not None
            and project.call.region_id == user.region_id)


@rules.predicate
def is_assigned_inspector(user, inspection):
    return (inspection is not None and user.is_authenticated
            and inspection.inspector.user_id == user.pk)


@rules.predicate
def inspects_project(user, project):
    """``user`` is (or was) an inspector assigned to the project."""
    return (project is not None and user.is_authenticated
            and project.inspections.filter(inspector__user=user).exists())
