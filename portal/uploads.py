"""Checking uploaded files: type sniffed from the content (never the name), size limits.

libmagic (python-magic) names the container from the file's head; zip and OLE containers are
opened to tell DOCX, XLSX and HWPX, or HWP, from any other archive. Used by every form that
takes a file.

A zip is opened on the upload's own file object and every read of it is bounded, so that a
small crafted archive cannot make the server inflate gigabytes (a "zip bomb"):

* the entry count and the central directory's size are read from the end record *before* the
  archive is parsed (a 20 MB zip can hold some 250,000 empty entries);
* the sizes the entries declare must add up to at most ``MAX_UNCOMPRESSED_BYTES``, and no
  entry larger than ``RATIO_GRACE_BYTES`` may be compressed more than ``MAX_RATIO`` times
  (Apache POI's ``ZipSecureFile`` defaults: 1 % inflate ratio, 100 KB grace);
* an archive that may be a document is then inflated once, entry by entry, in chunks that are
  counted and dropped: an entry that inflates to more than it declared is refused as soon as
  it does; only the first ``MIMETYPE_BYTES`` bytes of ``mimetype`` are kept.

So the memory used stays below a few chunks and the work below the declared bound, whatever
the archive says. An archive that breaks a bound is refused with the code ``archive_bomb``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

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
ZIP = "application/zip"

DOCUMENT_TYPES = {PDF: "PDF", HWP: "HWP", HWPX: "HWPX", DOCX: "DOCX", XLSX: "XLSX"}
EXTENSIONS = {PDF: ".pdf", HWP: ".hwp", HWPX: ".hwpx", DOCX: ".docx", XLSX: ".xlsx",
              JPEG: ".jpg", PNG: ".png"}

HEAD_BYTES = 64 * 1024  # what libmagic reads
HWP_HEAD_BYTES = 4 * HEAD_BYTES  # where an HWP file's signature stream is looked for

# Bounds of every archive (module constants: a document that breaks one is not a document).
MAX_ENTRIES = 1000
MAX_CENTRAL_DIRECTORY_BYTES = MAX_ENTRIES * 1024
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100
RATIO_GRACE_BYTES = 100 * 1024
MIMETYPE_BYTES = 64
CHUNK_BYTES = 64 * 1024

ARCHIVE_ERRORS = {
    "entries": _("The file “%(name)s” is an archive of more than %(max)s entries; no document "
                 "has that many, so it was refused."),
    "size": _("The file “%(name)s” would unpack to %(size)s; at most %(max)s is allowed, so it "
              "was refused."),
    "ratio": _("The file “%(name)s” holds a part compressed more than %(ratio)s times, as no "
               "document is; it was refused."),
    "lies": _("The file “%(name)s” holds a part that unpacks to more than the size it "
              "declares; it was refused."),
}


class _Damaged(Exception):
    """The archive cannot be read as a zip (truncated, unknown method, encrypted…)."""


def _refuse(reason: str, name: str, **params):
    raise ValidationError(ARCHIVE_ERRORS[reason], code="archive_bomb",
                          params={"name": name, **params})


# --- The end record, read before the archive is parsed ------------------------------------

_END = struct.Struct("<4s4H2LH")  # signature, disks, entries here, entries, size, offset, comment
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")


def _directory_extent(fileobj) -> tuple[int, int]:
    """(entries, central directory bytes) as the end record states them, found as
    ``zipfile`` finds it (no comment first, then the last signature in the last 64 KB)."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    tail_start = max(0, size - _END.size - 0xFFFF)
    fileobj.seek(tail_start)
    tail = fileobj.read()
    position = len(tail) - _END.size
    if position < 0 or tail[position:position + 4] != b"PK\x05\x06" or tail[-2:] != b"\0\0":
        position = tail.rfind(b"PK\x05\x06")
        if position < 0 or position + _END.size > len(tail):
            raise _Damaged
    record = _END.unpack_from(tail, position)
    entries, directory = record[4], record[5]
    if entries == 0xFFFF or directory == 0xFFFFFFFF or record[6] == 0xFFFFFFFF:
        locator_at = tail_start + position - _END64_LOCATOR.size
        if locator_at < 0:
            raise _Damaged
        fileobj.seek(locator_at)
        locator = _END64_LOCATOR.unpack(fileobj.read(_END64_LOCATOR.size))
        if locator[0] != b"PK\x06\x07":
            raise _Damaged
        fileobj.seek(locator[2])
        data = fileobj.read(_END64.size)
        if len(data) != _END64.size or data[:4] != b"PK\x06\x06":
            raise _Damaged
        record64 = _END64.unpack(data)
        entries, directory = record64[7], record64[8]
    return entries, directory


# --- Entries, inflated in counted chunks ----------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


def _chunks(fileobj, info: zipfile.ZipInfo):
    """The entry's content in chunks of at most ``CHUNK_BYTES``, read from the archive's file
    object at the entry's local header. Nothing is kept: the caller counts and stops."""
    if info.flag_bits & 0x1:
        raise _Damaged  # encrypted
    fileobj.seek(info.header_offset)
    header = fileobj.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _Damaged
    fields = _LOCAL_HEADER.unpack(header)
    fileobj.seek(info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10])
    if info.compress_type == zipfile.ZIP_STORED:
        inflater = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise _Damaged
    left = info.compress_size
    while left > 0:
        raw = fileobj.read(min(CHUNK_BYTES, left))
        if not raw:
            raise _Damaged  # truncated
        left -= len(raw)
        if inflater is None:
            yield raw
            continue
        try:
            data = inflater.decompress(raw, CHUNK_BYTES)
            while data:
                yield data
                data = inflater.decompress(inflater.unconsumed_tail, CHUNK_BYTES)
        except zlib.error as error:
            raise _Damaged from error
    if inflater is not None and not inflater.eof:
        raise _Damaged


def _check_declared(infos, name: str) -> None:
    if len(infos) > MAX_ENTRIES:
        _refuse("entries", name, max=MAX_ENTRIES)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        _refuse("size", name, size=filesizeformat(total),
                max=filesizeformat(MAX_UNCOMPRESSED_BYTES))
    for info in infos:
        if (info.file_size > RATIO_GRACE_BYTES
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            _refuse("ratio", name, ratio=MAX_RATIO)


def _inflate_all(fileobj, infos, name: str) -> bytes:
    """Inflate every entry once, checking its real size against the declared one (and its
    CRC); return the first ``MIMETYPE_BYTES`` of ``mimetype`` (empty when there is none)."""
    mimetype = b""
    for info in infos:
        size, crc = 0, 0
        for data in _chunks(fileobj, info):
            size += len(data)
            if size > info.file_size:
                _refuse("lies", name)
            crc = zlib.crc32(data, crc)
            if info.filename == "mimetype" and len(mimetype) < MIMETYPE_BYTES:
                mimetype += data[:MIMETYPE_BYTES - len(mimetype)]
        if size != info.file_size or crc != info.CRC:
            raise _Damaged
    return mimetype


def _zip_kind(fileobj, name: str) -> str:
    """HWPX, DOCX or XLSX by the archive's entries, else ``application/zip``; raises a
    ValidationError (code ``archive_bomb``) when the archive breaks a bound."""
    try:
        entries, directory = _directory_extent(fileobj)
        if entries > MAX_ENTRIES or directory > MAX_CENTRAL_DIRECTORY_BYTES:
            _refuse("entries", name, max=MAX_ENTRIES)
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            _check_declared(infos, name)
            names = {info.filename for info in infos}
            if not names & {"mimetype", "word/document.xml", "xl/workbook.xml"}:
                return ZIP
            mimetype = _inflate_all(fileobj, infos, name)
    except (_Damaged, zipfile.BadZipFile, zipfile.LargeZipFile, struct.error, OSError,
            EOFError, ValueError):
        return ZIP
    finally:
        fileobj.seek(0)
    if mimetype.strip() == HWPX.encode():
        return HWPX
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return ZIP


def sniff(upload) -> str:
    """The MIME type of an uploaded file, judged from its bytes alone. Only the head is read
    into memory; a zip is opened on the file object itself (see the module's bounds)."""
    upload.seek(0)
    head = upload.read(HWP_HEAD_BYTES)
    upload.seek(0)
    if head[:4] == b"PK\x03\x04":
        # A zip container is what its entries say, whatever libmagic guessed from the head.
        return _zip_kind(upload, upload.name)
    mime = magic.from_buffer(head[:HEAD_BYTES], mime=True)
    if mime in ("application/x-ole-storage", "application/CDFV2", "application/x-hwp") and (
        b"HWP Document File" in head or b"H\x00w\x00p\x00" in head
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
