"""Predicates about clusters (django-rules); the permissions built from them are declared in
``portal/permissions.py``.

Views look objects up in querysets already scoped to the user (``selectors``), so a user
outside a cluster gets 404 before these run; the rules state the same thing per object.
"""

import rules

from companies.selectors import company_id_of

from .enums import ClusterRole


@rules.predicate
def is_cluster_member(user, cluster):
    company_id = company_id_of(user)
    if cluster is None or company_id is None:
        return False
    return cluster.members.filter(company_id=company_id, withdrawn_at__isnull=True).exists()


@rules.predicate
def is_cluster_lead(user, cluster):
    company_id = company_id_of(user)
    return cluster is not None and company_id is not None and cluster.lead_company_id == company_id


@rules.predicate
def is_members_company(user, member):
    company_id = company_id_of(user)
    return (member is not None and company_id is not None and member.company_id == company_id
            and member.withdrawn_at is None)


@rules.predicate
def is_plain_member(user, member):
    return member is not None and member.role != ClusterRole.LEAD
