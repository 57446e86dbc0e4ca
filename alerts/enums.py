from django.db import models
from django.utils.translation import pgettext_lazy


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", pgettext_lazy("alert frequency", "As soon as one is published")
    WEEKLY = "weekly", pgettext_lazy("alert frequency", "Weekly digest")
