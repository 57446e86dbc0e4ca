"""Predicates about questions (django-rules); the permissions are declared in
``portal/permissions.py``.

A private question is seen by its asker, its asker's company, the call's region operator and
staff; a public one by everyone once it is answered. The call's region operator answers (staff
for a nationwide call, and staff may answer any).
"""

import rules

from companies.selectors import company_id_of


@rules.predicate
def asked_by_user(user, question):
    return question is not None and user.is_authenticated and question.asker_id == user.pk


@rules.predicate
def asked_by_users_company(user, question):
    if question is None or question.company_id is None or not user.is_authenticated:
        return False
    return company_id_of(user) == question.company_id


@rules.predicate
def operates_questions_call(user, question):
    region_id = question.announcement.call.region_id if question is not None else None
    return region_id is not None and region_id == getattr(user, "region_id", None)


@rules.predicate
def is_public_and_answered(user, question):
    return question is not None and question.is_public and question.is_answered
