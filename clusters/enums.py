"""Choices and the life cycle of clusters."""

from django.db import models
from django.utils.translation import pgettext_lazy

from applications.kinds import CLUSTER as KIND  # noqa: F401  (a cluster's frozen versions)


class ClusterStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("cluster status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("cluster status", "Submitted")


# Allowed moves; anything else is refused by ``cluster_services.change_cluster_status``.
CLUSTER_TRANSITIONS = {
    ClusterStatus.DRAFT: {ClusterStatus.SUBMITTED},
    # Submitted again: a member left but enough remain (a new frozen version).
    # Back to draft: the lead withdrew the submission, or too few members remain.
    ClusterStatus.SUBMITTED: {ClusterStatus.SUBMITTED, ClusterStatus.DRAFT},
}


class ClusterRole(models.TextChoices):
    LEAD = "lead", pgettext_lazy("cluster role", "Lead company")
    MEMBER = "member", pgettext_lazy("cluster role", "Member company")


class ClusterNoticeKind(models.TextChoices):
    MEMBER_JOINED = "member_joined", pgettext_lazy("cluster notice", "A company joined")
    MEMBER_WITHDREW = "member_withdrew", pgettext_lazy("cluster notice", "A company withdrew")
    SUBMITTED = "submitted", pgettext_lazy("cluster notice", "Submitted")
    RETURNED_TO_DRAFT = "returned_to_draft", pgettext_lazy("cluster notice",
                                                           "Returned to draft")
    SUBMISSION_WITHDRAWN = "submission_withdrawn", pgettext_lazy("cluster notice",
                                                                 "Submission withdrawn")


class ClusterDocumentKind(models.TextChoices):
    SHARED = "shared", pgettext_lazy("cluster document", "Shared document")
    PRIORITY_EVIDENCE = "priority_evidence", pgettext_lazy("cluster document",
                                                           "Priority claim evidence")

