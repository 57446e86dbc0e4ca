"""Predicates about applications (django-rules); the permissions built from them are declared
in ``portal/permissions.py``.

Objects are looked up in querysets scoped to the user first (``selectors``); the permissions are
the second line and what the views declare.
"""

import rules


@rules.predicate
def operates_application_region(user, application):
    """A regional operator sees the applications of its region's calls, and of the
    nationwide calls those of its region's companies."""
    if application is None or not user.region_id:
        return False
    call = application.call
    if call.region_id is not None:
        return call.region_id == user.region_id
    return application.company.region_id == user.region_id
