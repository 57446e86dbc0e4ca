"""The role predicates every app's rules compose (django-rules).

An account is staff (ministry), a regional operator (``region`` set) or neither (a company's
people, reviewers). Which company an account acts for is ``companies.selectors.company_of``.
"""

import rules


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated)


@rules.predicate
def is_staff(user):
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def is_operator(user):
    return bool(user and user.is_authenticated and getattr(user, "region_id", None))
