"""Documents: the call's checklist, uploads (checked by content and size) and the only way a
stored file leaves the server — a permission-checked download as an attachment."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import services
from ..forms import DocumentUploadForm
from ..models import Document
from .application import MemberApplicationMixin


class DocumentsView(MemberApplicationMixin, TemplateView):
    template_name = "applications/documents.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.application_context())
        application = context["application"]
        documents = sorted(application.documents.all(), key=lambda d: (d.document_type_id,
                                                                         -d.pk))
        frozen = {pk for version in application.versions.all()
                  for pk in (version.data.get("documents_ids") or [])}
        context["checklist"] = [
            (kind, [(d, d.pk in frozen) for d in documents if d.document_type_id == kind.pk])
            for kind in application.call.required_documents.all()
        ]
        context["form"] = form or DocumentUploadForm(call=application.call)
        return context

    def post(self, request, pk):
        application = self.get_application()
        form = DocumentUploadForm(request.POST, request.FILES, call=application.call)
        if form.is_valid():
            try:
                document = services.add_document(
                    application, form.cleaned_data["document_type"], form.cleaned_data["file"],
                    form.mime, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("“%(name)s” is uploaded.")
                                 % {"name": document.original_name})
                return redirect("applications:documents", pk=pk)
        return self.render_to_response(self.get_context_data(form=form))


class DocumentDownloadView(LoginRequiredMixin, View):
    """Company members and staff (and whoever another app adds to the
    ``applications.view_document`` rule, such as assigned reviewers) download; anyone else
    gets 404, whether the document exists or not."""

    def get(self, request, pk, document_pk):
        document = (Document.objects.select_related("application", "application__call",
                                                    "application__company")
                    .filter(application_id=pk, pk=document_pk).first())
        if document is None or not request.user.has_perm("applications.view_document",
                                                         document):
            raise Http404
        return FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.original_name,
                            content_type=document.content_type)


class DocumentDeleteView(MemberApplicationMixin, View):
    def post(self, request, pk, document_pk):
        document = get_object_or_404(self.get_application().documents.all(), pk=document_pk)
        try:
            services.delete_document(document, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(name)s” is removed.")
                             % {"name": document.original_name})
        return redirect("applications:documents", pk=pk)
