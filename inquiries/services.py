"""Writes of the inquiries app. Each change of a question goes through one function here: it
locks the question, checks the change is allowed, saves it with ``update_fields`` and writes the
audit row in the same transaction; the answer's email is written to the outbox in it too."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from companies.selectors import company_id_of
from outbox import services as outbox

from .enums import QuestionAction, QuestionStatus
from .models import Question, QuestionChange


def _record(question, action, actor, reason=""):
    return QuestionChange.objects.create(
        question=question, action=action, reason=reason,
        actor=actor if actor is not None and actor.is_authenticated else None)


def _locked(question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def ask(announcement, user, *, title, body, is_public, attachment=None, mime=""):
    """A new question on ``announcement`` by ``user`` (the attachment already checked)."""
    question = Question(announcement=announcement, asker=user, company_id=company_id_of(user),
                        title=title, body=body, is_public=is_public)
    if attachment is not None:
        question.attachment = attachment
        question.attachment_name = attachment.name[:255]
        question.attachment_type = mime
        question.attachment_size = attachment.size
    question.save()
    _record(question, QuestionAction.ASKED, user)
    return question


@transaction.atomic
def answer(question, user, *, text, language=None):
    """Answer a new question and email the asker (once per question, through the outbox)."""
    question = _locked(question)
    if question.status != QuestionStatus.NEW:
        raise ValidationError(_("This question has already been answered or closed."),
                              code="not_new")
    question.answer = text
    question.answered_by = user
    question.answered_at = timezone.now()
    question.status = QuestionStatus.ANSWERED
    question.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    _record(question, QuestionAction.ANSWERED, user)
    _enqueue_answer_email(question, language)
    return question


def _enqueue_answer_email(question, language):
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"question": question, "announcement": question.announcement,
                   "url": settings.SITE_URL + reverse("inquiries:detail", args=[question.pk])}
        subject = " ".join(render_to_string("inquiries/email/answered_subject.txt",
                                            context).split())
        body = render_to_string("inquiries/email/answered_message.txt", context)
    return outbox.enqueue_email(to=[question.asker.email], subject=subject, body=body,
                                key=f"question-{question.pk}-answered")


@transaction.atomic
def close(question, user, *, reason=""):
    """Close a question (answered or not); a closed question takes no answer."""
    question = _locked(question)
    if question.status == QuestionStatus.CLOSED:
        return question
    question.status = QuestionStatus.CLOSED
    question.closed_at = timezone.now()
    question.save(update_fields=["status", "closed_at"])
    _record(question, QuestionAction.CLOSED, user, reason)
    return question


@transaction.atomic
def set_faq(question, user, *, faq: bool):
    """Show an answered public question under its announcement as an FAQ, or stop."""
    question = _locked(question)
    if faq and not (question.is_public and question.is_answered):
        raise ValidationError(_("Only an answered public question can be an FAQ."),
                              code="not_faq_able")
    if question.is_faq == faq:
        return question
    question.is_faq = faq
    question.save(update_fields=["is_faq"])
    _record(question, QuestionAction.FAQ_ON if faq else QuestionAction.FAQ_OFF, user)
    return question
