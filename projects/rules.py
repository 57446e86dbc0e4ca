"""Who may do what with agreements, promotions, change requests and exclusions
(django-rules). Every view looks its object up in a queryset scoped to the user first
(``selectors.agreements_for_user``), so anyone else gets 404."""

import rules

from companies.selectors import company_id_of
from portal.rules import is_operator, is_staff


@rules.predicate
def is_member_of_agreement_company(user, agreement):
    return agreement is not None and company_id_of(user) == agreement.application.company_id


@rules.predicate
def operates_agreement_call(user, agreement):
    return (agreement is not None and agreement.application.call.region_id is not None
            and agreement.application.call.region_id == user.region_id)


@rules.predicate
def operates_change_call(user, change):
    return change is not None and operates_agreement_call(user, change.agreement)


# The company's members act on their agreement; staff and the region's operator see every
# agreement of their calls and decide change requests; ministry staff alone promote, cancel a
# selection and record exclusions.
rules.add_perm("projects.view_agreement",
               is_staff | (is_operator & operates_agreement_call) | is_member_of_agreement_company)
rules.add_perm("projects.act_on_agreement", is_member_of_agreement_company)
rules.add_perm("projects.follow_agreements", is_staff | is_operator)
rules.add_perm("projects.decide_change", is_staff | (is_operator & operates_change_call))
rules.add_perm("projects.run_promotions", is_staff)
rules.add_perm("projects.cancel_selection", is_staff)
rules.add_perm("projects.record_exclusion", is_staff)
