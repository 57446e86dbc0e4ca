"""Questions on an announcement, their pages, and the operator's inbox."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView
from django_ratelimit.core import is_ratelimited

from portal.mixins import RulesRequiredMixin
from programs.selectors import public_announcements

from . import selectors, services
from .forms import AnswerForm, InboxFilterForm, QuestionForm
from .models import Question
from .workdays import working_days_between

RATE_LIMITED = _("You have asked %(rate)s questions today, the most a day. Your question is "
                 "kept below: send it tomorrow, or call the operating agency.")


def published_announcement(pk):
    return get_object_or_404(public_announcements(), pk=pk)


class AnnouncementQuestionsView(View):
    """The announcement's FAQ, answered public questions and the user's own questions: a
    fragment the announcement page loads (htmx), or a page of its own without JavaScript."""

    def get(self, request, pk):
        announcement = published_announcement(pk)
        context = {"announcement": announcement,
                   "questions": selectors.announcement_questions(announcement, request.user)}
        template = ("inquiries/_announcement_questions.html" if request.htmx
                    else "inquiries/announcement_questions.html")
        return render(request, template, context)


class AskView(RulesRequiredMixin, View):
    permission_required = "inquiries.ask"
    template_name = "inquiries/ask.html"

    def get(self, request, pk):
        return self.show(QuestionForm(), published_announcement(pk))

    def post(self, request, pk):
        announcement = published_announcement(pk)
        form = QuestionForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form, announcement, status=400)
        if is_ratelimited(request, group="inquiries.ask", key="user",
                          rate=settings.INQUIRY_RATE_LIMIT, increment=True):
            form.add_error(None, ValidationError(
                RATE_LIMITED, code="rate_limited",
                params={"rate": settings.INQUIRY_RATE_LIMIT.split("/")[0]}))
            form.ask_to_choose_again()
            return self.show(form, announcement, status=429)
        question = services.ask(announcement, request.user,
                                title=form.cleaned_data["title"], body=form.cleaned_data["body"],
                                is_public=form.is_public,
                                attachment=form.cleaned_data.get("attachment"), mime=form.mime)
        messages.success(request, _("Your question was sent to the operating agency. You will "
                                    "receive an email when it is answered."))
        return redirect("inquiries:detail", pk=question.pk)

    def show(self, form, announcement, status=200):
        return render(self.request, self.template_name,
                      {"form": form, "announcement": announcement}, status=status)


class QuestionMixin:
    """The question, looked up among those the user may read: a visitor is asked to sign in
    (the asker may be signed out), anyone else who may not read it gets 404."""

    def get_question(self):
        if not hasattr(self, "_question"):
            try:
                self._question = (selectors.visible_questions(self.request.user)
                                  .select_related("announcement__call__region", "asker",
                                                  "answered_by")
                                  .get(pk=self.kwargs["pk"]))
            except Question.DoesNotExist:
                self._question = None
        return self._question


class QuestionDetailView(QuestionMixin, View):
    def get(self, request, pk):
        question = self.get_question()
        if question is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        return render(request, "inquiries/detail.html", detail_context(request, question))


def detail_context(request, question, answer_form=None):
    can_answer = request.user.has_perm("inquiries.answer_question", question)
    return {"question": question, "announcement": question.announcement,
            "can_answer": can_answer,
            "answer_form": answer_form or (AnswerForm() if can_answer else None)}


class ManagedQuestionMixin(RulesRequiredMixin):
    """The question among those the user answers (404 for any other)."""

    permission_required = "inquiries.answer_question"

    def get_question(self):
        if not hasattr(self, "_question"):
            self._question = get_object_or_404(
                selectors.answerable_questions(self.request.user)
                .select_related("announcement__call__region", "asker", "answered_by"),
                pk=self.kwargs["pk"])
        return self._question

    def get_permission_object(self):
        return self.get_question()


class AnswerView(ManagedQuestionMixin, View):
    def post(self, request, pk):
        question = self.get_question()
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer(question, request.user, text=form.cleaned_data["answer"],
                                language=get_language())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The answer is saved and emailed to the asker."))
                return redirect("inquiries:detail", pk=pk)
        return render(request, "inquiries/detail.html",
                      detail_context(request, question, form), status=400)


class CloseView(ManagedQuestionMixin, View):
    def post(self, request, pk):
        services.close(self.get_question(), request.user)
        messages.success(request, _("The question is closed."))
        return redirect("inquiries:detail", pk=pk)


class FaqView(ManagedQuestionMixin, View):
    def post(self, request, pk):
        faq = request.POST.get("faq") == "on"
        try:
            services.set_faq(self.get_question(), request.user, faq=faq)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The question is shown under the announcement as an "
                                        "FAQ.") if faq else
                             _("The question is no longer shown as an FAQ."))
        return redirect("inquiries:detail", pk=pk)


class AttachmentDownloadView(QuestionMixin, View):
    def get(self, request, pk):
        question = self.get_question()
        if question is None or not question.attachment:
            raise Http404
        return FileResponse(question.attachment.open("rb"), as_attachment=True,
                            filename=question.attachment_name,
                            content_type=question.attachment_type)


class InboxView(RulesRequiredMixin, ListView):
    """The questions of the calls the user operates (every call for staff)."""

    permission_required = "inquiries.view_inbox"
    template_name = "inquiries/inbox.html"
    context_object_name = "questions"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = InboxFilterForm(self.request.GET or None)
        status = (self.filter_form.cleaned_data["status"] if self.filter_form.is_valid()
                  else "")
        return selectors.inbox(self.request.user, status=status or None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        for question in context["questions"]:
            question.age_days = working_days_between(question.created_at, now)
        context["filter_form"] = self.filter_form
        context["overdue_days"] = settings.INQUIRY_OVERDUE_WORKING_DAYS
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context
