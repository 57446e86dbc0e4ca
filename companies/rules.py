"""Predicates about companies and the supplier pool (django-rules); the permissions built from
them are declared in ``portal/permissions.py``."""

import rules

from .selectors import company_id_of


def company_id_of_object(obj) -> int | None:
    """The company an object belongs to: a company itself, or anything with a ``company``
    (an application, a notice's application…) or an ``application`` (a plan, a document, a
    bonus claim)."""
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
    return company_id_of(user) is not None


@rules.predicate
def is_company_member(user, obj):
    """The user acts for the company ``obj`` is or belongs to."""
    company_id = company_id_of(user)
    return company_id is not None and company_id == company_id_of_object(obj)


@rules.predicate
def may_register_company(user):
    return bool(user and user.is_authenticated and not user.is_staff
                and not user.region_id and company_id_of(user) is None)


@rules.predicate
def is_approved_supplier(user, supplier):
    return supplier is not None and supplier.approved
