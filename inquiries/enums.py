from django.db import models
from django.utils.translation import pgettext_lazy


class QuestionStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("question status", "New")
    ANSWERED = "answered", pgettext_lazy("question status", "Answered")
    CLOSED = "closed", pgettext_lazy("question status", "Closed")


class QuestionAction(models.TextChoices):
    """What happened to a question, as its audit trail records it."""

    ASKED = "asked", pgettext_lazy("question action", "Asked")
    ANSWERED = "answered", pgettext_lazy("question action", "Answered")
    CLOSED = "closed", pgettext_lazy("question action", "Closed")
    FAQ_ON = "faq_on", pgettext_lazy("question action", "Shown as an FAQ")
    FAQ_OFF = "faq_off", pgettext_lazy("question action", "No longer an FAQ")
