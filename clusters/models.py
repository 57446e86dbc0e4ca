"""Clusters of the cluster programme (DOMAIN.md §2.2).

Five or more companies with similar production processes buy one smart-factory system from one
supplier. A lead company opens the cluster (the shared part: process, supplier, system, scope)
and invites member companies; each member writes its own part (cost, contribution, priority
claim), which the other members never see. When the lead submits, the cluster is represented
for review and award by one ``Application`` of the lead company (``Cluster.application``).

Their writes live in ``services.py`` (and ``invitations.py``, ``submission.py``), their reads
in ``selectors.py``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from companies.models import Company, RegistrationNumberField, Supplier
from companies.validators import format_registration_number
from portal.models import AuditRow, StoredFile
from portal.numbers import MAX_WON

from .enums import ClusterDocumentKind, ClusterNoticeKind, ClusterRole, ClusterStatus


class Cluster(models.Model):
    """A cluster application being prepared, and once submitted the cluster under review."""

    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="clusters")
    track = models.ForeignKey("programs.Track", verbose_name=_("track"),
                              on_delete=models.PROTECT, related_name="clusters")
    lead_company = models.ForeignKey(Company, verbose_name=_("lead company"),
                                     on_delete=models.PROTECT, related_name="led_clusters")
    name = models.CharField(_("cluster name"), max_length=200)
    # The shared part
    shared_process = models.TextField(_("shared production process"))
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier from the pool"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="clusters")
    supplier_name = models.CharField(_("supplier name"), max_length=200, blank=True)
    supplier_registration_number = RegistrationNumberField(
        _("supplier business registration number"), blank=True)
    common_system = models.CharField(_("common system"), max_length=300)
    system_scope = models.TextField(_("scope of the system"))
    status = models.CharField(_("status"), max_length=20, choices=ClusterStatus.choices,
                              default=ClusterStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    application = models.OneToOneField(
        Application, verbose_name=_("application for review"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="cluster",
        help_text=_("The application of the lead company that represents the cluster for "
                    "review and award; created at the first submission."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["call", "name", "pk"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        constraints = [
            # The supplier is either chosen from the pool or named with its number.
            models.CheckConstraint(
                condition=Q(supplier__isnull=False) | ~Q(supplier_registration_number=""),
                name="cluster_supplier_identified",
                violation_error_message=_("Choose a supplier from the pool, or name one with "
                                          "its business registration number."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def supplier_display(self) -> str:
        if self.supplier_id:
            return self.supplier.name
        number = format_registration_number(self.supplier_registration_number)
        return f"{self.supplier_name} ({number})"


class ClusterMember(models.Model):
    """A company that has accepted to be in a cluster, with its own (private) part.

    ``call`` repeats the cluster's call so that the database refuses a company in two clusters
    of one call. A member that withdraws keeps its row (``withdrawn_at``) for the record.
    """

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE,
                                related_name="members")
    call = models.ForeignKey("programs.Call", verbose_name=_("call"), on_delete=models.PROTECT,
                             related_name="+")
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="cluster_memberships")
    role = models.CharField(_("role"), max_length=10, choices=ClusterRole.choices,
                            default=ClusterRole.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"),
                                  null=True, on_delete=models.SET_NULL, related_name="+")
    # The member's own part (won)
    cost = models.PositiveBigIntegerField(_("cost of the system for this company"), null=True,
                                          blank=True)
    contribution_cash = models.PositiveBigIntegerField(_("contribution in cash"), null=True,
                                                       blank=True)
    contribution_in_kind = models.PositiveBigIntegerField(_("contribution in kind"), null=True,
                                                          blank=True)
    priority_claim = models.BooleanField(
        _("hurt by government regulation or policy change"), default=False)
    priority_evidence = models.TextField(_("evidence for the priority claim"), blank=True)
    part_completed_at = models.DateTimeField(_("part completed at"), null=True, blank=True)
    part_updated_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                        verbose_name=_("part updated by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True)

    class Meta:
        ordering = ["cluster", "role", "joined_at", "pk"]
        verbose_name = _("cluster member")
        verbose_name_plural = _("cluster members")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "company"], condition=Q(withdrawn_at__isnull=True),
                name="one_cluster_per_company_per_call",
                violation_error_message=_("This company is already in a cluster for this "
                                          "call."),
            ),
            models.UniqueConstraint(
                fields=["cluster"], condition=Q(role="lead"), name="one_lead_per_cluster"),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | (Q(cost__gt=0) & Q(cost__lte=MAX_WON)),
                name="cluster_member_cost_within_limit",
            ),
            models.CheckConstraint(
                condition=(Q(contribution_cash__isnull=True)
                           | Q(contribution_cash__lte=MAX_WON))
                & (Q(contribution_in_kind__isnull=True) | Q(contribution_in_kind__lte=MAX_WON)),
                name="cluster_member_contribution_within_limit",
            ),
        ]

    def __str__(self):
        return f"{self.company} @ {self.cluster}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def part_complete(self) -> bool:
        return self.part_completed_at is not None


class ClusterInvitation(models.Model):
    """An invitation to a company (by registration number) at an email address."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE,
                                related_name="invitations")
    registration_number = RegistrationNumberField(_("business registration number"))
    email = models.EmailField(_("email"))
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("invited by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    member = models.OneToOneField(ClusterMember, verbose_name=_("member"), null=True,
                                  blank=True, on_delete=models.SET_NULL,
                                  related_name="invitation")

    class Meta:
        ordering = ["cluster", "created_at", "pk"]
        verbose_name = _("cluster invitation")
        verbose_name_plural = _("cluster invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "registration_number"],
                condition=Q(accepted_at__isnull=True) & Q(cancelled_at__isnull=True),
                name="one_open_cluster_invitation_per_company",
                violation_error_message=_("This company has already been invited."),
            ),
        ]

    def __str__(self):
        return f"{self.registration_number_display} · {self.email} → {self.cluster}"

    @property
    def registration_number_display(self) -> str:
        return format_registration_number(self.registration_number)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None


class ClusterDocument(StoredFile):
    """A file of a cluster: shared (``member`` empty, every member sees it) or one member's own
    (its priority evidence: only that member's company and staff see it). Never under a public
    URL; downloaded through a permission-checked view."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE,
                                related_name="documents")
    member = models.ForeignKey(ClusterMember, verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=ClusterDocumentKind.choices)

    class Meta:
        ordering = ["cluster", "uploaded_at", "pk"]
        verbose_name = _("cluster document")
        verbose_name_plural = _("cluster documents")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=ClusterDocumentKind.SHARED) & Q(member__isnull=True))
                | (Q(kind=ClusterDocumentKind.PRIORITY_EVIDENCE) & Q(member__isnull=False)),
                name="cluster_document_owner_matches_kind",
            ),
        ]

    def upload_folder(self) -> str:
        return f"clusters/{self.cluster_id}"


class ClusterStateChange(AuditRow):
    """The cluster's audit trail: one row per change of its state (who, when, from, to, why)."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE,
                                related_name="state_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=ClusterStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ClusterStatus.choices)

    class Meta:
        ordering = ["cluster", "created_at", "pk"]
        verbose_name = _("cluster state change")
        verbose_name_plural = _("cluster state changes")

    def __str__(self):
        return f"{self.cluster}: {self.from_status} → {self.to_status}"


class ClusterNotice(models.Model):
    """A message every member sees on its dashboard (a member left, the cluster went back to
    draft…). Stored as a kind and parameters, so each reader sees it in its own language."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("cluster"), on_delete=models.CASCADE,
                                related_name="notices")
    kind = models.CharField(_("kind"), max_length=30, choices=ClusterNoticeKind.choices)
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    active_members = models.PositiveSmallIntegerField(_("members at the time"), default=0)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["cluster", "-created_at", "-pk"]
        verbose_name = _("cluster notice")
        verbose_name_plural = _("cluster notices")

    def __str__(self):
        return f"{self.cluster}: {self.get_kind_display()}"

