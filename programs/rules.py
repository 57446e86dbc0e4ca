"""Who may do what with programmes, calls and announcements (django-rules predicates)."""

import rules


@rules.predicate
def is_staff(user):
    return bool(user and user.is_authenticated and user.is_staff)


@rules.predicate
def is_operator(user):
    return bool(user and user.is_authenticated and getattr(user, "region_id", None))


@rules.predicate
def operates_call(user, call):
    return call is not None and call.region_id is not None and call.region_id == user.region_id


@rules.predicate
def operates_announcement(user, announcement):
    return announcement is not None and operates_call(user, announcement.call)


@rules.predicate
def is_published(user, announcement):
    return announcement is not None and announcement.is_published


can_manage_announcements = is_staff | is_operator
can_manage_announcement = is_staff | (is_operator & operates_announcement)

rules.add_perm("programs.manage_announcements", can_manage_announcements)
rules.add_perm("programs.change_announcement_content", can_manage_announcement)
rules.add_perm("programs.view_announcement", is_published | can_manage_announcement)
rules.add_perm("programs.manage_call", is_staff | (is_operator & operates_call))
