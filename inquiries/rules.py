"""Who may ask, read, answer and manage questions (django-rules predicates).

A private question is seen by its asker, its asker's company, the call's region operator and
staff; a public one by everyone once it is answered. The call's region operator answers (staff
for a nationwide call, and staff may answer any).
"""

import rules

from programs.rules import is_operator, is_staff


@rules.predicate
def asked_by_user(user, question):
    return question is not None and user.is_authenticated and question.asker_id == user.pk


@rules.predicate
def asked_by_users_company(user, question):
    if question is None or question.company_id is None or not user.is_authenticated:
        return False
    membership = getattr(user, "membership", None)
    return membership is not None and membership.company_id == question.company_id


@rules.predicate
def operates_questions_call(user, question):
    region_id = question.announcement.call.region_id if question is not None else None
    return region_id is not None and region_id == getattr(user, "region_id", None)


@rules.predicate
def is_public_and_answered(user, question):
    return question is not None and question.is_public and question.is_answered


can_answer = is_staff | (is_operator & operates_questions_call)
can_view = is_public_and_answered | asked_by_user | asked_by_users_company | can_answer

rules.add_perm("inquiries.view_question", can_view)
rules.add_perm("inquiries.answer_question", can_answer)
rules.add_perm("inquiries.view_inbox", is_staff | is_operator)
rules.add_perm("inquiries.ask", rules.is_authenticated)
