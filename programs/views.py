from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from portal.mixins import RulesRequiredMixin
from portal.pagecache import PublicPageCacheMixin, call_windows, seconds_until

from . import services
from .filters import AnnouncementFilter
from .forms import AnnouncementForm
from .models import Announcement, AnnouncementAttachment
from .selectors import (
    announcement_cards,
    announcement_for_display,
    budget_summary,
    manageable_announcements,
    manageable_calls,
    target_split,
    target_total,
)


class AnnouncementListView(PublicPageCacheMixin, ListView):
    template_name = "programs/announcement_list.html"
    context_object_name = "announcements"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = AnnouncementFilter(self.request.GET or None,
                                            queryset=announcement_cards())
        return self.filterset.qs

    def page_timeout(self):
        # The shown calls' statuses; filtered by status, the list itself changes when any
        # call's window opens or closes.
        moments = call_windows(self.shown)
        if self.filterset.form.cleaned_data.get("status") if self.filterset.is_bound else None:
            moments += self.filterset.call_windows
        return seconds_until(moments)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.shown = context["announcements"]
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class AnnouncementContextMixin:
    """Everything the detail and preview pages show about an announcement's call."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        call = self.object.call
        context["call"] = call
        context["tracks"] = call.tracks.all()
        context["target_total"] = target_total(context["tracks"])
        context["target_split"] = target_split(context["tracks"])
        context["budget"] = budget_summary(call)
        context["can_manage"] = self.request.user.has_perm(
            "programs.change_announcement_content", self.object)
        return context


class AnnouncementDetailView(PublicPageCacheMixin, AnnouncementContextMixin, DetailView):
    template_name = "programs/announcement_detail.html"
    context_object_name = "announcement"

    def page_timeout(self):
        # The call's status shows, a countdown to its deadline while it is open, and whether
        # each event is over (its events are prefetched for the page).
        call = self.object.call
        return seconds_until([call.opens_at, call.closes_at]
                             + [event.starts_at for event in call.events.all()],
                             countdown_until=call.closes_at)

    def get_object(self, queryset=None):
        try:
            announcement = announcement_for_display(Announcement.objects.all(),
                                                    self.kwargs["pk"])
        except Announcement.DoesNotExist as exc:
            raise Http404 from exc
        if not self.request.user.has_perm("programs.view_announcement", announcement):
            raise Http404
        return announcement


class ApplyView(View):
    """The announcement's Apply button: sign in first, then the application flow."""

    def get(self, request, pk):
        announcement = get_object_or_404(Announcement.objects.published(), pk=pk)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return redirect(self.application_url(announcement))

    def application_url(self, announcement):
        return reverse("applications:start", args=[announcement.call_id])


class AttachmentDownloadView(View):
    def get(self, request, pk, attachment_pk):
        attachment = get_object_or_404(
            AnnouncementAttachment.objects.select_related("announcement__call"),
            pk=attachment_pk, announcement_id=pk,
        )
        if not request.user.has_perm("programs.view_announcement", attachment.announcement):
            raise Http404
        return FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.original_name,
                            content_type=attachment.content_type)


class ManageAnnouncementListView(RulesRequiredMixin, ListView):
    permission_required = "programs.manage_announcements"
    template_name = "programs/manage_announcement_list.html"
    context_object_name = "announcements"
    paginate_by = 50

    def get_queryset(self):
        return (manageable_announcements(self.request.user)
                .select_related("call", "call__region").order_by("-updated_at", "-pk"))


class ManagedAnnouncementMixin(RulesRequiredMixin):
    """Looks the announcement up among those the user may manage (404 for any other)."""

    permission_required = "programs.change_announcement_content"

    def get_announcement(self):
        if not hasattr(self, "_announcement"):
            self._announcement = get_object_or_404(
                manageable_announcements(self.request.user)
                .select_related("call", "call__region"),
                pk=self.kwargs["pk"],
            )
        return self._announcement

    def get_permission_object(self):
        return self.get_announcement()


class AnnouncementFormMixin:
    form_class = AnnouncementForm
    template_name = "programs/announcement_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["calls"] = manageable_calls(self.request.user)
        return kwargs

    def form_valid(self, form):
        announcement = services.save_announcement(
            form.save(commit=False), user=self.request.user,
            files=form.cleaned_data.get("attachments") or [], mime_types=form.mime_types,
        )
        messages.success(self.request, _("The announcement was saved."))
        return redirect("programs:announcement_preview", pk=announcement.pk)


class AnnouncementCreateView(RulesRequiredMixin, AnnouncementFormMixin, FormView):
    permission_required = "programs.manage_announcements"


class AnnouncementUpdateView(ManagedAnnouncementMixin, AnnouncementFormMixin, FormView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.get_announcement()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["announcement"] = self.get_announcement()
        return context


class AnnouncementPreviewView(ManagedAnnouncementMixin, AnnouncementContextMixin, DetailView):
    template_name = "programs/announcement_detail.html"
    context_object_name = "announcement"

    def get_object(self, queryset=None):
        return announcement_for_display(
            manageable_announcements(self.request.user), self.get_announcement().pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview"] = True
        return context


class AnnouncementPublishView(ManagedAnnouncementMixin, View):
    def post(self, request, pk):
        services.publish_announcement(self.get_announcement(), user=request.user)
        messages.success(request, _("The announcement is published."))
        return redirect("programs:announcement_preview", pk=pk)


class AnnouncementUnpublishView(ManagedAnnouncementMixin, View):
    def post(self, request, pk):
        services.unpublish_announcement(self.get_announcement(), user=request.user)
        messages.success(request, _("The announcement is no longer public."))
        return redirect("programs:announcement_preview", pk=pk)


class AttachmentDeleteView(ManagedAnnouncementMixin, View):
    def post(self, request, pk, attachment_pk):
        attachment = get_object_or_404(self.get_announcement().attachments, pk=attachment_pk)
        services.delete_attachment(attachment, user=request.user)
        messages.success(request, _("The attachment was removed."))
        return redirect("programs:announcement_edit", pk=pk)
