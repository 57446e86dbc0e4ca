import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.demo import pdf_bytes
from applications.models import Document
from applications.services import submit_application
from tests.applications.test_views import client_for, text
from tests.factories.applications import MembershipFactory, make_complete_application
from tests.factories.portal import UserFactory

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


def upload(client, application, name, content, kind):
    return client.post(reverse("applications:documents", args=[application.pk]), {
        "document_type": kind.pk, "file": SimpleUploadedFile(name, content)})


def test_upload_a_pdf_stores_it_outside_any_url(application, member):
    kind = application.call.required_documents.get(code="financial-statements")
    response = upload(client_for(member), application, "사업계획서.pdf", pdf_bytes("plan"), kind)
    assert response.status_code == 302
    document = Document.objects.filter(original_name="사업계획서.pdf").get()
    path = Path(document.file.path)
    assert (document.content_type, document.size, path.is_file()) == (
        "application/pdf", len(pdf_bytes("plan")), True)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.name != "사업계획서.pdf"


def test_upload_an_executable_renamed_pdf_refused(application, member):
    kind = application.call.required_documents.get(code="financial-statements")
    for content in (ELF, MZ):
        response = upload(client_for(member), application, "사업계획서.pdf", content, kind)
        assert response.status_code == 200
        assert ("The file “사업계획서.pdf” is not an accepted type (DOCX, HWP, HWPX, PDF, XLSX). "
                "Its content was checked, not its name.") in text(response)
    assert Document.objects.filter(original_name="사업계획서.pdf").count() == 0


def test_upload_a_zip_renamed_docx_refused(application, member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    kind = application.call.required_documents.get(code="financial-statements")
    response = upload(client_for(member), application, "plan.docx", buffer.getvalue(), kind)
    assert "is not an accepted type" in text(response)


def test_upload_too_large_refused(application, member, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    kind = application.call.required_documents.get(code="financial-statements")
    response = upload(client_for(member), application, "big.pdf", pdf_bytes("x" * 2000), kind)
    assert "at most 1000" in text(response).replace("\xa0", " ")


def test_upload_empty_refused(application, member):
    kind = application.call.required_documents.get(code="financial-statements")
    response = upload(client_for(member), application, "empty.pdf", b"", kind)
    assert "The submitted file is empty." in text(response)


def test_download_is_an_attachment_for_members_and_staff(application, member):
    document = application.documents.first()
    for user in (member, UserFactory(is_staff=True)):
        response = client_for(user).get(
            reverse("applications:document_download", args=[application.pk, document.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_by_another_company_or_operator_is_404(application):
    document = application.documents.first()
    url = reverse("applications:document_download", args=[application.pk, document.pk])
    other = MembershipFactory().user
    operator = UserFactory(region=application.call.region)
    assert [client_for(user).get(url).status_code for user in (other, operator)] == [404, 404]


def test_download_with_a_mismatched_application_is_404(application, member, gb_basic):
    mine = application.documents.first()
    other_application = make_complete_application(gb_basic)
    url = reverse("applications:document_download", args=[other_application.pk, mine.pk])
    assert client_for(member).get(url).status_code == 404


def test_delete_a_document_not_yet_submitted_removes_the_file_after_commit(
        application, member, django_capture_on_commit_callbacks):
    document = application.documents.first()
    path = Path(document.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("applications:document_delete", args=[application.pk, document.pk]))
    assert (response.status_code, Document.objects.filter(pk=document.pk).count(),
            path.exists()) == (302, 0, False)


def test_delete_a_document_of_a_submitted_version_refused(application, member):
    submit_application(application, user=member, revision=0)
    document = application.documents.first()
    client = client_for(member)
    client.post(reverse("applications:document_delete", args=[application.pk, document.pk]))
    assert Document.objects.filter(pk=document.pk).count() == 1
    page = text(client.get(reverse("applications:documents", args=[application.pk])))
    assert "This file is part of a submitted version, so it is kept." in page


def test_checklist_lists_every_required_document(application, member):
    page = text(client_for(member).get(reverse("applications:documents",
                                               args=[application.pk])))
    for name in ("Business registration certificate", "Latest financial statements",
                 "SME confirmation", "Factory registration certificate"):
        assert name in page
    # The business plan is written online (issue 11 item 10): no upload of it is asked for.
    assert [kind.code for kind in application.call.required_documents.all()] == [
        "business-registration", "factory-registration", "financial-statements",
        "sme-confirmation"]
    assert ("The business plan is the one written online in this portal: it is not uploaded."
            in page)
