"""Staff pages of a call evaluated in rounds (DOMAIN.md §5.1): the rounds' weights and pass
rules, who passes on from a round (before closing it: what closing would decide; after: what
it decided) with the rule that decided each case, exemptions, closing a round and opening the
next one for those who pass on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from applications.models import Application

from . import round_scores, round_services
from .forms import ExemptionForm, RoundPlanForm
from .models import RoundExemption
from .views import StaffRoundMixin


class RoundsView(StaffRoundMixin, FormView):
    """The call's rounds (weights, pass rules) and who passes on from this round."""

    template_name = "reviews/rounds.html"
    form_class = RoundPlanForm

    def get_rounds(self):
        if not hasattr(self, "_rounds"):
            self._rounds = round_scores.call_rounds(self.get_round().call_id)
        return self._rounds

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "rounds": self.get_rounds()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation_round = self.get_round()
        rounds = self.get_rounds()
        index = next(i for i, r in enumerate(rounds) if r.pk == evaluation_round.pk)
        previous = rounds[index - 1] if index else None
        following = rounds[index + 1] if index + 1 < len(rounds) else None
        context.update(rounds=rounds, previous=previous, following=following,
                       locked=any(r.locked_at for r in rounds),
                       exemption_form=kwargs.get("exemption_form") or ExemptionForm())
        context.update(results=None, pass_on=None, exemptions=[])
        if following is not None:
            if evaluation_round.closed_at:
                context["results"] = round_scores.stored_pass_on(evaluation_round)
            else:
                context["pass_on"] = round_scores.pass_on(evaluation_round, previous)
            context["exemptions"] = list(
                RoundExemption.objects.filter(round=evaluation_round)
                .select_related("application", "actor").order_by("created_at", "pk"))
        return context

    def form_valid(self, form):
        try:
            round_services.set_round_plan(self.get_round().call, form.plans(),
                                          actor=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The rounds' weights and pass rules are saved."))
        return redirect("reviews:rounds", round_pk=self.get_round().pk)


class CloseRoundView(StaffRoundMixin, View):
    def post(self, request, round_pk):
        try:
            results = round_services.close_round(self.get_round(), actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            passing = sum(result.passed for result in results)
            messages.success(request, ngettext(
                "The round is closed: %(passing)d of %(count)d application passes on.",
                "The round is closed: %(passing)d of %(count)d applications pass on.",
                len(results)) % {"passing": passing, "count": len(results)})
        return redirect("reviews:rounds", round_pk=round_pk)


class OpenNextRoundView(StaffRoundMixin, View):
    def post(self, request, round_pk):
        try:
            following = round_services.open_next_round(self.get_round(), actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reviews:rounds", round_pk=round_pk)
        messages.success(request, _("%(round)s is open for the applications that passed on: "
                                    "assign its reviewers.") % {"round": following})
        return redirect("reviews:round", round_pk=following.pk)


class ExemptView(StaffRoundMixin, View):
    def post(self, request, round_pk):
        evaluation_round = self.get_round()
        form = ExemptionForm(request.POST)
        if form.is_valid():
            application = Application.objects.filter(
                call_id=evaluation_round.call_id,
                receipt_number=form.cleaned_data["receipt_number"].strip()).first()
            if application is None:
                form.add_error("receipt_number", _("No application of this call has that "
                                                   "receipt number."))
            else:
                try:
                    round_services.exempt_application(
                        evaluation_round, application, reason=form.cleaned_data["reason"],
                        actor=request.user)
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error(None, message)
        if form.errors:
            view = RoundsView()
            view.setup(request, round_pk=round_pk)
            return view.render_to_response(view.get_context_data(
                exemption_form=form, form=RoundPlanForm(rounds=view.get_rounds())))
        messages.success(request, _("%(application)s is exempt from %(round)s.")
                         % {"application": application, "round": evaluation_round})
        return redirect("reviews:rounds", round_pk=round_pk)


class CoReviewView(StaffRoundMixin, TemplateView):
    """Whether the round's co-review graph is connected (loaded into the assignments page)."""

    template_name = "reviews/_co_review.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "graph": round_scores.co_review(self.get_round())}
