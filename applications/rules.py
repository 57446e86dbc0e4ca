"""Who may do what with companies, applications and their documents (django-rules).

Objects are looked up in querysets scoped to the user first (``selectors``); these
predicates are the second line and what the views declare. Another app widens a permission
by OR-ing its own predicate with the named one here, for example in ``reviews/rules.py``
(loaded after this module, since ``reviews`` follows ``applications`` in INSTALLED_APPS)::

    from applications.rules import can_view_document
    rules.set_perm("applications.view_document", can_view_document | is_assigned_reviewer)
"""

import rules

from programs.rules import is_operator, is_staff


def _company_id(obj):
    """The company an application, plan, document, bonus claim or company belongs to."""
    if obj is None:
        return None
    if hasattr(obj, "registration_number") and hasattr(obj, "memberships"):
        return obj.pk
    if hasattr(obj, "company_id"):
        return obj.company_id
    application = getattr(obj, "application", None)
    return getattr(application, "company_id", None)


@rules.predicate
def has_company(user):
    return bool(user and user.is_authenticated and hasattr(user, "membership"))


@rules.predicate
def is_company_member(user, obj):
    company_id = _company_id(obj)
    if company_id is None or not has_company(user):
        return False
    return user.membership.company_id == company_id


@rules.predicate
def operates_application_region(user, application):
    if application is None or not user.region_id:
        return False
    call = application.call
    if call.region_id is not None:
        return call.region_id == user.region_id
    return application.company.region_id == user.region_id


@rules.predicate
def may_register_company(user):
    return bool(user and user.is_authenticated and not user.is_staff
                and not user.region_id and not hasattr(user, "membership"))


can_view_application = is_company_member | is_staff | (is_operator
                                                       & operates_application_region)
can_edit_application = is_company_member
can_view_document = is_company_member | is_staff

rules.add_perm("applications.register_company", may_register_company)
rules.add_perm("applications.view_company", is_company_member)
rules.add_perm("applications.change_company", is_company_member)
rules.add_perm("applications.invite_member", is_company_member)
rules.add_perm("applications.apply", has_company)
rules.add_perm("applications.view_application", can_view_application)
rules.add_perm("applications.change_application", can_edit_application)
rules.add_perm("applications.submit_application", can_edit_application)
rules.add_perm("applications.view_document", can_view_document)
rules.add_perm("applications.screen_application", is_staff)
rules.add_perm("applications.verify_bonus_claim", is_staff)
rules.add_perm("applications.view_region_applications", is_staff | is_operator)
