"""Checking uploaded files: type sniffed from the content (never the name), size limits.

libmagic (python-magic) names the container; zip and OLE containers are opened to tell DOCX,
XLSX and HWPX, or HWP, from any other archive. Used by every form that takes a file.
"""

from __future__ import annotations

import io
import zipfile

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
HWP = "application/x-hwp"
HWPX = "application/hwp+zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"

DOCUMENT_TYPES = {PDF: "PDF", HWP: "HWP", HWPX: "HWPX", DOCX: "DOCX", XLSX: "XLSX"}
EXTENSIONS = {PDF: ".pdf", HWP: ".hwp", HWPX: ".hwpx", DOCX: ".docx", XLSX: ".xlsx",
              JPEG: ".jpg", PNG: ".png"}

HEAD_BYTES = 64 * 1024


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == b"application/hwp+zip":
                return HWPX
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def sniff(upload) -> str:
    """The MIME type of an uploaded file, judged from its bytes alone."""
    data = _read_all(upload)
    mime = magic.from_buffer(data[:HEAD_BYTES], mime=True)
    if data[:4] == b"PK\x03\x04":
        # A zip container is what its entries say, whatever libmagic guessed from the head.
        return _zip_kind(data) or "application/zip"
    if mime in ("application/x-ole-storage", "application/CDFV2", "application/x-hwp") and (
        b"HWP Document File" in data[:HEAD_BYTES * 4]
        or b"H\x00w\x00p\x00" in data[:HEAD_BYTES * 4]
    ):
        return HWP
    return mime


def validate_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=None) -> str:
    """Check size and sniffed type; return the MIME type or raise a translated error."""
    max_bytes = max_bytes or settings.MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file “%(name)s” is empty."), code="empty",
                              params={"name": upload.name})
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; at most %(max)s is allowed."),
            code="too_large",
            params={"name": upload.name, "size": filesizeformat(upload.size),
                    "max": filesizeformat(max_bytes)},
        )
    mime = sniff(upload)
    if mime not in allowed:
        raise ValidationError(
            _("The file “%(name)s” is not an accepted type (%(types)s). Its content was "
              "checked, not its name."),
            code="bad_type",
            params={"name": upload.name, "types": ", ".join(sorted(set(allowed.values())))},
        )
    return mime
