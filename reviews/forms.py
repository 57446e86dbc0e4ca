"""Forms of the reviews pages. They check what a person typed and say what is wrong; the
services check again and do the change."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ReviewerProfile
from .round_services import RoundPlan
from .services import comment_bounds, parse_points


class ConflictForm(forms.Form):
    NO_CONFLICT, CONFLICT = "none", "declared"
    answer = forms.ChoiceField(
        label=_("Conflict of interest"),
        choices=[(NO_CONFLICT, _("I have no conflict of interest with this company or its "
                                 "supplier.")),
                 (CONFLICT, _("I have a conflict of interest (same organisation, affiliated "
                              "supplier, family or business relation)."))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two answers.")},
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you declare a conflict: staff read it to replace you."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == self.CONFLICT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say what the conflict of interest is."))
        return cleaned


class ScoreForm(forms.Form):
    """One points field and one comment field per criterion of the round's rubric."""

    def __init__(self, *args, criteria, scores=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = scores or {}
        below, above = comment_bounds()
        # Shown above the rubric: the percentages outside which a comment is needed.
        self.comment_below = f"{(below * 100).normalize():f}"
        self.comment_above = f"{(above * 100).normalize():f}"
        for criterion in self.criteria:
            maximum = criterion.max_points
            score = scores.get(criterion.pk)
            points = self.points_name(criterion)
            self.fields[points] = forms.CharField(
                label=pgettext_lazy("score form", "Points"), required=False, disabled=disabled,
                initial=(f"{score.points.normalize():f}"
                         if score is not None and score.points is not None else ""),
                widget=forms.NumberInput(attrs={
                    "min": "0", "max": f"{maximum.normalize():f}", "step": "0.5",
                    "inputmode": "decimal", "data-points": "", "class": "form-control"}),
            )
            self.fields[self.comment_name(criterion)] = forms.CharField(
                label=_("Comment"), required=False, disabled=disabled, max_length=4000,
                initial=score.comment if score is not None else "",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    @staticmethod
    def points_name(criterion):
        return f"points_{criterion.pk}"

    @staticmethod
    def comment_name(criterion):
        return f"comment_{criterion.pk}"

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = self.points_name(criterion)
            if name in self.errors:
                continue
            try:
                cleaned[name] = parse_points(cleaned.get(name), criterion)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def require_all(self):
        """Submitting: every criterion needs points. True when the form is still valid."""
        for criterion in self.criteria:
            name = self.points_name(criterion)
            if name not in self.errors and self.cleaned_data.get(name) is None:
                self.add_error(name, _("Score this criterion before submitting."))
        return not self.errors

    def entries(self):
        """criterion id → (points, comment), as ``services.save_review`` takes them."""
        return {c.pk: (self.cleaned_data.get(self.points_name(c)),
                       self.cleaned_data.get(self.comment_name(c), ""))
                for c in self.criteria}

    def add_service_errors(self, error: ValidationError):
        """Put the service's errors (keyed by criterion id — ``comment_<id>`` for a missing
        comment —, or general) on the form."""
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                field = (key if key.startswith("comment_") and key in self.fields
                         else f"points_{key}" if f"points_{key}" in self.fields else None)
                for message in messages:
                    self.add_error(field, message)
        else:
            for message in error.messages:
                self.add_error(None, message)

    def rows(self):
        """(criterion, points field, comment field) for the template's table."""
        return [(c, self[self.points_name(c)], self[self.comment_name(c)]) for c in self.criteria]


class AutoAssignForm(forms.Form):
    per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=15, initial=3,
        error_messages={"required": _("Enter how many reviewers each application gets."),
                        "invalid": _("Enter a whole number of reviewers, such as 3."),
                        "min_value": _("Assign at least one reviewer per application."),
                        "max_value": _("Assign at most %(limit_value)s reviewers per "
                                       "application.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user} · {obj.organisation}"


class AssignForm(forms.Form):
    reviewer = ReviewerChoiceField(
        label=_("Reviewer"), queryset=ReviewerProfile.objects.none(),
        error_messages={"required": _("Choose a reviewer."),
                        "invalid_choice": _("Choose a reviewer from the list.")},
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReplaceForm(forms.Form):
    reviewer = ReviewerChoiceField(
        label=_("Replacement"), queryset=ReviewerProfile.objects.none(), required=False,
        empty_label=_("Choose automatically (least-loaded committee member)"),
        error_messages={"invalid_choice": _("Choose a reviewer from the list.")},
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for reopening the review.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RoundPlanForm(forms.Form):
    """Every round of a call at once: its weight, pass mark and pass multiple (the weights
    must add up to 100%; ``round_services.check_plan`` checks again under the lock)."""

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = list(rounds)
        for evaluation_round in self.rounds:
            pk = evaluation_round.pk
            self.fields[f"weight_{pk}"] = forms.IntegerField(
                label=_("Weight (%)"), min_value=1, max_value=100,
                initial=evaluation_round.weight)
            self.fields[f"pass_mark_{pk}"] = forms.DecimalField(
                label=_("Pass mark"), required=False, min_value=0, max_value=100,
                decimal_places=2, initial=evaluation_round.pass_mark)
            self.fields[f"pass_multiple_{pk}"] = forms.DecimalField(
                label=_("Pass multiple of the target"), required=False, decimal_places=2,
                max_digits=4, initial=evaluation_round.pass_multiple,
                error_messages={"min_value": _("The pass multiple must be at least 1.")},
                min_value=1)

    def rows(self):
        """(round, weight field, pass mark field, multiple field) for the template."""
        return [(r, self[f"weight_{r.pk}"], self[f"pass_mark_{r.pk}"],
                 self[f"pass_multiple_{r.pk}"]) for r in self.rounds]

    def plans(self) -> dict:
        data = self.cleaned_data
        return {r.pk: RoundPlan(data[f"weight_{r.pk}"], data[f"pass_mark_{r.pk}"],
                                data[f"pass_multiple_{r.pk}"]) for r in self.rounds}

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f"weight_{r.pk}") for r in self.rounds]
        if all(weight is not None for weight in weights) and sum(weights) != 100:
            raise ValidationError(
                _("The rounds' weights add up to %(total)d%%; they must add up to 100%%.")
                % {"total": sum(weights)}, code="weights")
        return cleaned


class ExemptionForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("Receipt number"), max_length=40,
        error_messages={"required": _("Give the application's receipt number.")})
    reason = forms.CharField(
        label=_("Reason for the exemption"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the exemption.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
