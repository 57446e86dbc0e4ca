"""Reviewer pool in the admin. Assignments, scores and their audit are shown read-only here:
they change only through the reviews pages (services), which check conflicts and lock."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from companies.validators import normalise_registration_number
from programs import admin as programs_admin
from programs.models import Call, EvaluationRound

from . import models
from .services import RUBRIC_TOTAL


class ReviewerProfileForm(forms.ModelForm):
    class Meta:
        model = models.ReviewerProfile
        fields = ["user", "organisation", "organisation_registration_number", "expertise",
                  "calls", "rounds", "active"]

    def clean_organisation_registration_number(self):
        # Stored as 10 digits; staff may type it with hyphens (124-81-00998).
        return normalise_registration_number(
            self.cleaned_data["organisation_registration_number"])

    def _post_clean(self):
        # Normalise before the model's validators (length 10, check digit) run.
        if "organisation_registration_number" in self.cleaned_data:
            self.instance.organisation_registration_number = \
                self.cleaned_data["organisation_registration_number"]
        super()._post_clean()


@admin.register(models.ExpertiseTag)
class ExpertiseTagAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en"]
    search_fields = ["name", "name_en"]


@admin.register(models.ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    form = ReviewerProfileForm
    list_display = ["user", "organisation", "registration_number_display", "active"]
    list_filter = ["active", "calls", "expertise"]
    search_fields = ["user__email", "user__full_name", "organisation",
                     "organisation_registration_number"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["expertise", "calls", "rounds"]
    list_select_related = ["user"]

    @admin.display(description=_("registration number"),
                   ordering="organisation_registration_number")
    def registration_number_display(self, obj):
        return obj.registration_number_display


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScoreInline(ReadOnlyInline):
    model = models.Score
    fields = ["criterion", "points", "comment", "updated_at"]
    readonly_fields = fields


class ReviewEventInline(ReadOnlyInline):
    model = models.ReviewEvent
    fields = ["created_at", "action", "actor", "reason"]
    readonly_fields = fields


@admin.register(models.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "round", "conflict", "submitted_at",
                    "released_at"]
    list_filter = ["conflict", "round__call", "round__kind"]
    search_fields = ["application__receipt_number", "application__company__name",
                     "reviewer__user__email", "reviewer__user__full_name"]
    list_select_related = ["application", "reviewer__user", "round__call"]
    inlines = [ScoreInline, ReviewEventInline]
    # No full count beside the filtered one (a count of every assignment); 50 a page.
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The rubric (programs' models): criteria must add up to 100; frozen once scored ---------
# The programs app registers these admins; the reviews app, which owns scoring and the lock,
# replaces them with subclasses that add the sum check and make the rubric read-only once the
# first review is submitted (EvaluationRound.locked_at, set by services.save_review).


class CriterionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        total = Decimal("0")
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            if data.get("max_points") is not None:
                total += data["max_points"]
        if total != RUBRIC_TOTAL:
            raise ValidationError(
                _("The criteria of a round must add up to 100 points; these add up to "
                  "%(total)s.") % {"total": f"{total.normalize():f}"}, code="rubric_total")


def round_is_locked(evaluation_round) -> bool:
    return evaluation_round is not None and evaluation_round.locked_at is not None


def call_rubric_is_locked(call) -> bool:
    return call is not None and call.pk is not None and call.rounds.filter(
        locked_at__isnull=False).exists()


class LockedWhenScoredMixin:
    """An inline that becomes read-only once its rubric is locked. ``locked`` tells, from the
    admin's object (a round, or a call for its bonus items), whether the rubric is locked."""

    locked = staticmethod(round_is_locked)

    def has_add_permission(self, request, obj=None):
        return not self.locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.locked(obj) and super().has_delete_permission(request, obj)


class RubricCriterionInline(LockedWhenScoredMixin, programs_admin.CriterionInline):
    formset = CriterionFormSet


class RubricBonusItemInline(LockedWhenScoredMixin, programs_admin.BonusItemInline):
    locked = staticmethod(call_rubric_is_locked)


class RubricRoundAdmin(programs_admin.EvaluationRoundAdmin):
    inlines = [RubricCriterionInline if inline is programs_admin.CriterionInline else inline
               for inline in programs_admin.EvaluationRoundAdmin.inlines]


class RubricCallAdmin(programs_admin.CallAdmin):
    inlines = [RubricBonusItemInline if inline is programs_admin.BonusItemInline else inline
               for inline in programs_admin.CallAdmin.inlines]


for model, model_admin in ((EvaluationRound, RubricRoundAdmin), (Call, RubricCallAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
