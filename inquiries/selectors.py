"""Reads of the inquiries app: the questions a user may see, an announcement's questions and
the operator's inbox (unanswered questions older than the limit first)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from companies.selectors import company_id_of

from .enums import QuestionStatus
from .models import Question
from .workdays import overdue_before


def visible_questions(user):
    """Every question ``user`` may read (scoped before any lookup)."""
    public = Q(is_public=True, answered_at__isnull=False)
    if not user.is_authenticated:
        return Question.objects.filter(public)
    if user.is_staff:
        return Question.objects.all()
    mine = Q(asker=user)
    company_id = company_id_of(user)
    if company_id is not None:
        mine |= Q(company_id=company_id)
    if user.region_id:
        mine |= Q(announcement__call__region_id=user.region_id)
    return Question.objects.filter(public | mine)


def answerable_questions(user):
    """Questions ``user`` answers: every one for staff, its region's calls' for an operator."""
    if not user.is_authenticated:
        return Question.objects.none()
    if user.is_staff:
        return Question.objects.all()
    if user.region_id:
        return Question.objects.filter(announcement__call__region_id=user.region_id)
    return Question.objects.none()


@dataclass(frozen=True)
class AnnouncementQuestions:
    faqs: list
    answered: list  # public answered questions that are not FAQs
    own: list  # the user's and its company's questions, whatever their state


def announcement_questions(announcement, user) -> AnnouncementQuestions:
    """What the announcement's question section shows ``user``: two queries (one for anyone
    who has asked nothing there, as for a visitor)."""
    public = list(Question.objects.filter(announcement=announcement, is_public=True,
                                          answered_at__isnull=False)
                  .order_by("-is_faq", "-answered_at", "-pk")[:50])
    own = []
    if user.is_authenticated:
        mine = Q(asker=user)
        company_id = company_id_of(user)
        if company_id is not None:
            mine |= Q(company_id=company_id)
        own = list(Question.objects.filter(mine, announcement=announcement)
                   .select_related("asker").order_by("-created_at", "-pk")[:50])
    return AnnouncementQuestions(faqs=[q for q in public if q.is_faq],
                                 answered=[q for q in public if not q.is_faq], own=own)


def inbox(user, status=None, now=None):
    """The questions ``user`` answers, with ``overdue`` (new and older than
    ``INQUIRY_OVERDUE_WORKING_DAYS`` working days): overdue first, then the other new ones, then
    answered and closed ones; oldest first within each. One query, whatever the size."""
    now = now or timezone.now()
    limit = overdue_before(now, settings.INQUIRY_OVERDUE_WORKING_DAYS)
    questions = (answerable_questions(user)
                 .select_related("announcement__call__region", "asker", "company")
                 .annotate(overdue=Case(
                     When(status=QuestionStatus.NEW, created_at__lt=limit, then=Value(True)),
                     default=Value(False), output_field=BooleanField()),
                     is_new=Case(When(status=QuestionStatus.NEW, then=Value(True)),
                                 default=Value(False), output_field=BooleanField())))
    if status:
        questions = questions.filter(status=status)
    return questions.order_by("-overdue", "-is_new", "created_at", "pk")
