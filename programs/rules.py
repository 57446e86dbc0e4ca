"""Predicates about calls and announcements (django-rules); the permissions built from them are
declared in ``portal/permissions.py``."""

import rules


@rules.predicate
def operates_call(user, call):
    return call is not None and call.region_id is not None and call.region_id == user.region_id


@rules.predicate
def operates_announcement(user, announcement):
    return announcement is not None and operates_call(user, announcement.call)


@rules.predicate
def is_published(user, announcement):
    return announcement is not None and announcement.is_published
