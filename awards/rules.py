"""Who may do what with award runs, budgets and notices (django-rules predicates)."""

import rules
from django.core.exceptions import ObjectDoesNotExist

from programs.rules import is_operator, is_staff, operates_call


@rules.predicate
def is_member_of_notice_company(user, notice):
    if notice is None or not user.is_authenticated:
        return False
    try:
        company_id = user.membership.company_id
    except ObjectDoesNotExist:
        return False
    return company_id == notice.application.company_id


# Ministry staff run awards; a region's operator follows its own calls' budgets; a notice is
# for its company's members and staff only.
rules.add_perm("awards.run_awards", is_staff)
rules.add_perm("awards.view_budgets", is_staff | is_operator)
rules.add_perm("awards.view_budget", is_staff | (is_operator & operates_call))
rules.add_perm("awards.download_notice", is_staff | is_member_of_notice_company)
