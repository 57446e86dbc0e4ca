"""Who may do what with clusters and the supplier pool (django-rules predicates).

Views look objects up in querysets already scoped to the user (``cluster_selectors``), so a
user outside a cluster gets 404 before these run; the rules state the same thing per object.
"""

import rules


def company_id_of(user) -> int | None:
    """The company an account acts for, or None (an account belongs to at most one)."""
    if not user or not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)  # cached by Django, even when missing
    return membership.company_id if membership is not None else None


@rules.predicate
def is_staff(user):
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def is_operator(user):
    return bool(user and user.is_authenticated and getattr(user, "region_id", None))


@rules.predicate
def is_signed_in(user):
    return bool(user and user.is_authenticated)


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
    return member is not None and member.role != "lead"


@rules.predicate
def is_approved_supplier(user, supplier):
    return supplier is not None and supplier.approved


# Companies open clusters; staff and operators act on them from the admin instead.
rules.add_perm("applications.open_cluster", is_signed_in & ~is_staff & ~is_operator)
rules.add_perm("applications.view_cluster", is_staff | is_cluster_member)
rules.add_perm("applications.manage_cluster", is_cluster_lead)
rules.add_perm("applications.edit_cluster_part", is_members_company)
rules.add_perm("applications.leave_cluster", is_members_company & is_plain_member)
# The invitation's token is the secret; the page then checks the account's email and company.
rules.add_perm("applications.accept_cluster_invitation", is_signed_in)

rules.add_perm("applications.register_supplier", is_signed_in)
rules.add_perm("applications.view_supplier", is_approved_supplier | is_staff)
rules.add_perm("applications.approve_supplier", is_staff)
