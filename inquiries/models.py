"""Companies' questions (문의) on an announcement and the operator's answers.

A question belongs to the announcement it was asked on; the call's region operator (staff for
a nationwide call) answers it in Markdown. A private question is seen by its asker's company,
the operator and staff only; a public one by everyone once it is answered, and an answered
public question may be shown under the announcement as an FAQ.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AuditRow

from .enums import QuestionAction, QuestionStatus


def attachment_path(instance, filename):
    # A random stored name; the original name stays in the row, never on disk.
    return f"questions/{uuid.uuid4().hex}"


class Question(models.Model):
    announcement = models.ForeignKey("programs.Announcement", verbose_name=_("announcement"),
                                     on_delete=models.PROTECT, related_name="questions")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"),
                              on_delete=models.PROTECT, related_name="questions")
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="questions",
        help_text=_("The asker's company when the question was asked: its members see it."))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("question"))
    is_public = models.BooleanField(
        _("public"), default=True,
        help_text=_("A public question and its answer are shown to everyone once answered."))
    status = models.CharField(_("status"), max_length=20, choices=QuestionStatus.choices,
                              default=QuestionStatus.NEW, db_index=True)
    is_faq = models.BooleanField(_("shown as an FAQ"), default=False)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("content type"), max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)
    answer = models.TextField(_("answer (Markdown)"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED)
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="question_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(is_faq=False) | (Q(is_public=True) & Q(answered_at__isnull=False)),
                name="question_faq_is_public_and_answered",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class QuestionChange(AuditRow):
    """One line of a question's audit trail."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE,
                                 related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=QuestionAction.choices)

    class Meta:
        ordering = ["question", "created_at", "pk"]
        verbose_name = _("question change")
        verbose_name_plural = _("question changes")

    def __str__(self):
        return f"{self.question_id} · {self.get_action_display()}"
