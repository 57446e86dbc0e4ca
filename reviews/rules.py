"""Predicates about reviews (django-rules); the permissions built from them are declared in
``portal/permissions.py``.

Views look assignments up in querysets scoped to the user first (``selectors``); these rules are
the second line. A reviewer reaches only its own, active assignments; once it has a conflict
(declared, or automatic: its organisation is the company or its supplier) the application is
gone for it (404). A deactivated profile (``active=False``) loses every permission that comes
from being a reviewer: its queue, assignments, conflict pages and documents. Staff manage
assignments and see every score; nobody else does.
"""

import rules
from django.core.exceptions import ObjectDoesNotExist

from .enums import ConflictStatus
from .selectors import has_automatic_conflict


def profile_of(user):
    """The user's reviewer profile, or None."""
    if not (user and user.is_authenticated):
        return None
    try:
        return user.reviewer_profile
    except ObjectDoesNotExist:
        return None


def active_profile_of(user):
    """The user's reviewer profile if it is active, else None: every reviewer rule uses this."""
    profile = profile_of(user)
    return profile if profile is not None and profile.active else None


@rules.predicate
def is_reviewer(user):
    return active_profile_of(user) is not None


@rules.predicate
def is_own_active_assignment(user, assignment):
    profile = active_profile_of(user)
    return (assignment is not None and profile is not None
            and assignment.reviewer_id == profile.pk and assignment.released_at is None)


@rules.predicate
def has_declared_conflict(user, assignment):
    return assignment.conflict == ConflictStatus.DECLARED


@rules.predicate
def has_cleared_conflict(user, assignment):
    return assignment.conflict == ConflictStatus.NONE


@rules.predicate
def is_submitted(user, assignment):
    return assignment.submitted_at is not None


@rules.predicate
def has_conflict_by_registration(user, assignment):
    return has_automatic_conflict(assignment)


@rules.predicate
def reviews_document(user, document):
    """An active, assigned reviewer without a conflict, who confirmed none, may open its
    documents."""
    from .models import Assignment

    profile = active_profile_of(user)
    if document is None or profile is None:
        return False
    assignment = (Assignment.objects.active()
                  .filter(reviewer=profile, application_id=document.application_id,
                          conflict=ConflictStatus.NONE)
                  .select_related("reviewer", "application__company", "application__plan",
                                  "application__plan__supplier", "application__cluster",
                                  "application__cluster__supplier")
                  .first())
    return assignment is not None and not has_automatic_conflict(assignment)
