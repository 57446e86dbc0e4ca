"""Every save and delete of what a round's standing is computed from counts as a change of the
round (``RoundRevision``), in the transaction of the change: the score matrix then recomputes
the standing on its next read (``matrix.fresh_standing``).

- an assignment (created, released, replaced, its conflict answered, submitted or reopened);
- a bonus claim (verified, changed, withdrawn): every round of the application's call;
- an application's track or submission time: every round of its call.

Scores are not watched: they change only while a review is not submitted (``save_review``
refuses a submitted one), and submitting or reopening saves the assignment. Assignments
inserted in bulk (``portal.bulk.insert``: ``auto_assign``) count through its ``inserted``
signal.
"""

from django.db.models.signals import post_delete, post_save

from applications.models import Application, BonusClaim
from portal import bulk

from .models import Assignment, RoundRevision

RANKED_FIELDS = {"track", "track_id", "submitted_at", "call", "call_id"}


def assignment_changed(sender, instance, **kwargs):
    RoundRevision.objects.bump(round_ids=[instance.round_id])


def assignments_inserted(sender, objects, **kwargs):
    RoundRevision.objects.bump(round_ids=sorted({assignment.round_id for assignment in objects}))


def claim_changed(sender, instance, **kwargs):
    RoundRevision.objects.bump(application_id=instance.application_id)


def application_saved(sender, instance, created, update_fields=None, **kwargs):
    # A new application is in no round yet; a save of other fields changes no ranking.
    if not created and (update_fields is None or RANKED_FIELDS & set(update_fields)):
        RoundRevision.objects.bump(application_id=instance.pk)


def connect():
    post_save.connect(assignment_changed, sender=Assignment, dispatch_uid="standing:assignment")
    post_delete.connect(assignment_changed, sender=Assignment,
                        dispatch_uid="standing:assignment:delete")
    bulk.inserted.connect(assignments_inserted, sender=Assignment,
                          dispatch_uid="standing:assignment:bulk")
    post_save.connect(claim_changed, sender=BonusClaim, dispatch_uid="standing:claim")
    post_delete.connect(claim_changed, sender=BonusClaim, dispatch_uid="standing:claim:delete")
    post_save.connect(application_saved, sender=Application, dispatch_uid="standing:application")
