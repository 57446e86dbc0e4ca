"""The evidence files of a project — the deposit's bank record, the proofs of payment to the
supplier, the inspection photos — download for the company's members, staff, the region's
operator and the project's inspector; anyone else gets 404 (302 to sign in when signed out),
whether the file exists or not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from programs.models import Region
from settlement import services
from tests.factories.portal import UserFactory
from tests.factories.reviews import ReviewerProfileFactory
from tests.permissions import expect_matrix

from .conftest import PDF_BYTES, deposit
from .test_settlement import report

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082")


@pytest.fixture
def evidence(project, accepted, staff):
    """A deposit, a submitted report with its proof of payment, and an inspection with a
    photo; the inspector and a Jeonbuk operator."""
    agreement, member = accepted
    recorded = deposit(project, staff)
    report(project, member, [{}])
    inspector = ReviewerProfileFactory()
    inspection = services.assign_inspector(project, inspector, user=staff)
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    services.record_inspection(inspection, user=inspector.user, checklist=inspection.checklist,
                               findings="설치 확인", decision="remediate",
                               photos=[(photo, "image/png")])
    return {
        "deposit": f"/projects/{project.pk}/deposits/{recorded.pk}/file/",
        "payment": f"/projects/{project.pk}/report/payments/"
                   f"{project.report.payments.get().pk}/file/",
        "photo": f"/projects/{project.pk}/inspection/photos/"
                 f"{inspection.photos.get().pk}/",
        "member": member, "inspector": inspector.user,
        "operator_jb": UserFactory(email="operator@jb.test",
                                   region=Region.objects.get(code="JB")),
    }


def get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("name", ["deposit", "payment", "photo"])
def test_evidence_is_404_for_anyone_else(evidence, role_users, name):
    # ``company`` and ``other_company`` are members of companies other than the project's.
    expect_matrix(role_users, evidence[name], {
        "anonymous": 302, "company": 404, "other_company": 404, "operator_gb": 404,
        "operator_jn": 404, "reviewer": 404, "staff": 200})


@pytest.mark.parametrize("name, content, content_type", [
    ("deposit", PDF_BYTES, "application/pdf"), ("payment", PDF_BYTES, "application/pdf"),
    ("photo", PNG, "image/png")])
def test_the_company_the_operator_and_the_inspector_download(evidence, name, content,
                                                             content_type):
    for who in ("member", "operator_jb", "inspector"):
        response = get(evidence[who], evidence[name])
        assert response.status_code == 200, who
        assert (b"".join(response.streaming_content), response["Content-Type"]) == (
            content, content_type)
        assert response["Content-Disposition"].startswith("attachment;")


def test_a_file_under_another_project_is_404(evidence, project, staff):
    url = evidence["deposit"].replace(f"/projects/{project.pk}/", f"/projects/{project.pk + 1}/")
    assert get(staff, url).status_code == 404
    assert get(staff, evidence["deposit"].replace("/file/", "9/file/")).status_code == 404


def test_the_pages_link_the_files(evidence, project, staff):
    assert evidence["deposit"].encode() in get(staff, f"/projects/{project.pk}/").content
    assert evidence["payment"].encode() in get(
        evidence["member"], f"/projects/{project.pk}/report/").content
    assert evidence["photo"].encode() in get(
        staff, f"/projects/{project.pk}/settlement/").content
    inspection = project.inspections.get()
    assert evidence["photo"].encode() in get(
        evidence["inspector"], f"/inspections/{inspection.pk}/").content
