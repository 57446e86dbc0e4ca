"""Predicates about notices (django-rules); the permissions are declared in
``portal/permissions.py``."""

import rules

from companies.selectors import company_id_of


@rules.predicate
def is_member_of_notice_company(user, notice):
    company_id = company_id_of(user)
    return notice is not None and company_id is not None \
        and company_id == notice.application.company_id
