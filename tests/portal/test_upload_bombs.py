"""Crafted archives against ``portal.uploads``: every read of a zip is bounded (entry count,
declared and actual sizes, compression ratio, a few bytes of ``mimetype``), so a small upload
cannot make the server inflate hundreds of megabytes. Checked through ``validate_upload`` and
through the forms that take files: an application's documents, announcement attachments and
a cluster member's evidence.

The archives are written byte by byte here (``raw_zip``), so an entry can declare any size.
"""

import io
import struct
import time
import tracemalloc
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.models import Document
from clusters.models import ClusterDocument
from portal import uploads
from programs.enums import TrackKind
from programs.models import Announcement, AnnouncementAttachment, Call
from tests.applications.test_views import client_for, text
from tests.factories.applications import (
    CompanyFactory,
    MembershipFactory,
    make_complete_application,
)
from tests.factories.clusters import ClusterFactory, user_for
from tests.factories.portal import UserFactory
from tests.programs.files import docx_bytes, hwpx_bytes, pdf_bytes, xlsx_bytes

MIB = 1024 * 1024
HWPX_MIMETYPE = b"application/hwp+zip"


@pytest.fixture(autouse=True)
def _english():
    """Messages read outside a request are English here (pages choose their own language)."""
    with translation.override("en"):
        yield


# --- Writing crafted archives ------------------------------------------------------------------

def zeros_deflated(prefix: bytes, mebibytes: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``prefix`` then ``mebibytes`` MiB of zeros, built in
    milliseconds: one independent (fully flushed) block of 1 MiB of zeros, repeated.
    Returns (stream, inflated size, CRC-32 of the inflated content)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = head + block * mebibytes + b"\x03\x00"  # an empty final block ends the stream
    crc = zlib.crc32(prefix)
    zeros = bytes(MIB)
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    return stream, len(prefix) + mebibytes * MIB, crc


def entry(name, content: bytes = b"", *, deflate=True, stream=None, size=None, crc=None):
    """One entry: its name, method, stored bytes and what the central directory declares.
    Pass ``stream`` (already deflated) with ``size``/``crc`` to declare anything."""
    if stream is None:
        if deflate:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            stream = compressor.compress(content) + compressor.flush()
        else:
            stream = content
        size = len(content) if size is None else size
        crc = zlib.crc32(content) if crc is None else crc
    return {"name": name.encode(), "method": 8 if deflate else 0, "data": stream,
            "size": size, "crc": crc}


def raw_zip(entries, *, stated_entries=None) -> bytes:
    """A zip archive of ``entries`` exactly as given (sizes and CRCs are not checked).
    ``stated_entries`` puts another entry count in the end record."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for item in entries:
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, item["method"], 0, 0,
                              item["crc"], len(item["data"]), item["size"],
                              len(item["name"]), 0))
        out.write(item["name"])
        out.write(item["data"])
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, item["method"],
                                    0, 0, item["crc"], len(item["data"]), item["size"],
                                    len(item["name"]), 0, 0, 0, 0, 0, offset))
        directory.write(item["name"])
    start = out.tell()
    out.write(directory.getvalue())
    count = len(entries) if stated_entries is None else stated_entries
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count,
                          len(directory.getvalue()), start, 0))
    return out.getvalue()


HWPX_REST = [entry("version.xml", b"<hv:HCFVersion/>"),
             entry("Contents/content.hpf", b"<opf:package/>")]


@pytest.fixture(scope="module")
def honest_bomb():
    """An HWPX whose ``mimetype`` inflates to 300 MiB and says so (about 300 KB)."""
    stream, size, crc = zeros_deflated(HWPX_MIMETYPE, 300)
    return raw_zip([entry("mimetype", stream=stream, size=size, crc=crc), *HWPX_REST])


@pytest.fixture(scope="module")
def ratio_bomb():
    """An HWPX whose ``mimetype`` inflates to 200 MiB (within the size bound) from 200 KB."""
    stream, size, crc = zeros_deflated(HWPX_MIMETYPE, 200)
    return raw_zip([entry("mimetype", stream=stream, size=size, crc=crc), *HWPX_REST])


@pytest.fixture(scope="module")
def lying_bomb():
    """An HWPX whose ``mimetype`` declares its 19 bytes (and their CRC) but inflates to
    300 MiB: no declared figure gives it away."""
    stream, _size, _crc = zeros_deflated(HWPX_MIMETYPE, 300)
    return raw_zip([entry("mimetype", stream=stream, size=len(HWPX_MIMETYPE),
                          crc=zlib.crc32(HWPX_MIMETYPE)), *HWPX_REST])


def many_entries(count, **kwargs) -> bytes:
    return raw_zip([entry("mimetype", HWPX_MIMETYPE, deflate=False), *HWPX_REST,
                    *[entry(f"BinData/{n}", deflate=False) for n in range(count - 3)]],
                   **kwargs)


def measured(function, *args):
    """(result or raised ValidationError, seconds, peak bytes allocated while it ran)."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = function(*args)
    except ValidationError as error:
        result = error
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


def file(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def refusal(error):
    assert isinstance(error, ValidationError)
    return error.code, error.messages


# --- validate_upload -------------------------------------------------------------------------

def test_mimetype_bomb_declaring_300_mib_refused_quickly_in_little_memory(honest_bomb):
    error, seconds, peak = measured(uploads.validate_upload, file("계획서.hwpx", honest_bomb))
    assert refusal(error) == ("archive_bomb", [
        "The file “계획서.hwpx” would unpack to 300.0\xa0MB; at most 256.0\xa0MB is allowed, "
        "so it was refused."])
    assert len(honest_bomb) < 400_000
    assert (seconds < 0.5, peak < 2 * MIB) == (True, True)


def test_mimetype_bomb_within_the_size_bound_refused_by_its_ratio(ratio_bomb):
    error, seconds, peak = measured(uploads.validate_upload, file("계획서.hwpx", ratio_bomb))
    assert refusal(error) == ("archive_bomb", [
        "The file “계획서.hwpx” holds a part compressed more than 100 times, as no document "
        "is; it was refused."])
    assert (seconds < 0.5, peak < 2 * MIB) == (True, True)


def test_mimetype_declaring_a_size_that_lies_refused_after_a_few_bytes(lying_bomb):
    error, seconds, peak = measured(uploads.validate_upload, file("계획서.hwpx", lying_bomb))
    assert refusal(error) == ("archive_bomb", [
        "The file “계획서.hwpx” holds a part that unpacks to more than the size it declares; "
        "it was refused."])
    assert (seconds < 0.5, peak < 2 * MIB) == (True, True)


def test_document_part_declaring_a_size_that_lies_refused():
    stream, _size, _crc = zeros_deflated(b"<w:document>", 50)
    archive = raw_zip([entry("[Content_Types].xml", b"<Types/>"),
                       entry("word/document.xml", stream=stream, size=1000, crc=0)])
    error, seconds, peak = measured(uploads.validate_upload, file("plan.docx", archive))
    assert refusal(error)[0] == "archive_bomb"
    assert (seconds < 0.5, peak < 2 * MIB) == (True, True)


def test_archive_of_1001_entries_refused():
    error = measured(uploads.validate_upload, file("계획서.hwpx", many_entries(1001)))[0]
    assert refusal(error) == ("archive_bomb", [
        "The file “계획서.hwpx” is an archive of more than 1000 entries; no document has that "
        "many, so it was refused."])


def test_archive_of_1000_entries_accepted():
    assert uploads.validate_upload(file("계획서.hwpx", many_entries(1000))) == uploads.HWPX


def test_50000_entries_refused_before_the_archive_is_parsed():
    archive = many_entries(50_000)
    error, seconds, peak = measured(uploads.validate_upload, file("계획서.hwpx", archive))
    assert refusal(error)[0] == "archive_bomb"
    # Parsing 50,000 entries takes some 25 MB and 3 s; the end record alone is read.
    assert (seconds < 0.5, peak < 2 * MIB) == (True, True)


def test_end_record_understating_the_entry_count_refused_by_the_directory_size():
    archive = many_entries(50_000, stated_entries=3)
    error, seconds, peak = measured(uploads.validate_upload, file("계획서.hwpx", archive))
    assert refusal(error)[0] == "archive_bomb"
    assert (seconds < 0.5, peak < 2 * MIB) == (True, True)


@pytest.mark.parametrize(("name", "data", "mime"), [
    ("계획서.hwpx", hwpx_bytes(), uploads.HWPX),
    ("계획서.docx", docx_bytes(), uploads.DOCX),
    ("예산.xlsx", xlsx_bytes(), uploads.XLSX),
])
def test_genuine_small_documents_accepted(name, data, mime):
    assert uploads.validate_upload(file(name, data)) == mime


def test_genuine_document_with_a_large_compressible_part_accepted():
    words = " ".join(f"<w:p><w:r><w:t>공정 {n} 불량률 {n % 97}%</w:t></w:r></w:p>"
                     for n in range(60_000)).encode()
    archive = raw_zip([entry("[Content_Types].xml", b"<Types/>"),
                       entry("word/document.xml", b"<w:document>" + words + b"</w:document>")])
    assert len(words) > 3 * MIB
    assert uploads.validate_upload(file("plan.docx", archive)) == uploads.DOCX


def test_damaged_archive_is_not_an_accepted_type():
    archive = raw_zip([entry("word/document.xml", b"<w:document/>", crc=1234)])
    error = measured(uploads.validate_upload, file("plan.docx", archive))[0]
    assert refusal(error)[0] == "bad_type"


def test_sniff_reads_only_the_head_of_a_large_upload():
    upload = TemporaryUploadedFile("big.pdf", "application/pdf", 0, None)
    upload.write(pdf_bytes() + b"\0" * (15 * MIB))
    upload.flush()
    upload.size = upload.tell()
    try:
        mime, _seconds, peak = measured(uploads.validate_upload, upload)
    finally:
        upload.close()
    assert (mime, peak < 2 * MIB) == (uploads.PDF, True)


# --- Through the forms that take files ---------------------------------------------------------

@pytest.fixture
def member(demo):
    call = Call.objects.get(code="2025-GB")
    company = CompanyFactory(region=call.region)
    return MembershipFactory(company=company, user=UserFactory()).user


@pytest.fixture
def application(member):
    track = Call.objects.get(code="2025-GB").tracks.get(kind=TrackKind.BASIC)
    return make_complete_application(track, company=member.membership.company,
                                     created_by=member)


def test_documents_page_refuses_the_bomb_quickly(application, member, honest_bomb):
    kind = application.call.required_documents.get(code="financial-statements")
    before = Document.objects.count()
    started = time.perf_counter()
    response = client_for(member).post(
        reverse("applications:documents", args=[application.pk]),
        {"document_type": kind.pk, "file": file("사업계획서.hwpx", honest_bomb)})
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert ("The file “사업계획서.hwpx” would unpack to 300.0 MB; at most 256.0 MB is allowed, "
            "so it was refused.") in text(response).replace("\xa0", " ")
    assert response.context["form"]["document_type"].value() == str(kind.pk)
    assert (Document.objects.count(), seconds < 1) == (before, True)


def test_documents_page_refuses_the_lying_bomb_in_korean(application, member, lying_bomb):
    kind = application.call.required_documents.get(code="financial-statements")
    response = client_for(member, "ko").post(
        reverse("applications:documents", args=[application.pk]),
        {"document_type": kind.pk, "file": file("사업계획서.hwpx", lying_bomb)})
    assert response.status_code == 200
    assert ("파일 “사업계획서.hwpx”에 선언한 크기보다 크게 풀리는 부분이 있어 받지 "
            "않았습니다.") in text(response)


def test_announcement_attachment_refuses_the_bomb(role_users, ratio_bomb):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(role_users["operator_gb"])
    response = client.post("/manage/announcements/new/", {
        "call": Call.objects.get(code="2025-GB").pk, "title": "첨부 공고", "title_en": "",
        "body": "본문", "body_en": "", "attachments": [file("양식.hwpx", ratio_bomb)]})
    assert response.status_code == 200
    assert response.context["form"].errors == {"attachments": [
        "The file “양식.hwpx” holds a part compressed more than 100 times, as no document is; "
        "it was refused."]}
    assert (response.context["form"]["title"].value(), Announcement.objects.filter(
        title="첨부 공고").count(), AnnouncementAttachment.objects.count()) == ("첨부 공고", 0, 0)


def test_cluster_evidence_refuses_the_bomb(demo, lying_bomb):
    cluster = ClusterFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    client.force_login(user_for(cluster.lead_company))
    response = client.post(reverse("clusters:part", args=[cluster.pk]), {
        "cost": "100,000,000", "contribution_cash": "30,000,000",
        "contribution_in_kind": "30,000,000", "priority_claim": "on",
        "priority_evidence": "규제 강화", "evidence": file("규제통지.hwpx", lying_bomb)})
    assert response.status_code == 200
    assert response.context["form"].errors == {"evidence": [
        "The file “규제통지.hwpx” holds a part that unpacks to more than the size it declares; "
        "it was refused."]}
    assert (response.context["form"]["cost"].value(), ClusterDocument.objects.count()) == (
        "100,000,000", 0)
