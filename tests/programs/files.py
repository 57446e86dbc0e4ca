"""Small but real files of every type an announcement may carry, built in memory.

The OOXML and HWPX files are real zip packages, the HWP file a real OLE compound file whose
``FileHeader`` stream starts with the HWP signature, the PDF a valid one-page-less document.
"""

import io
import shutil
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/{part}" ContentType="{type}"/></Types>'
)


def pdf_bytes() -> bytes:
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1,
                                                                           xref)
    return bytes(out)


def _zip(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            stored = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=stored)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return _zip([
        ("[Content_Types].xml", CONTENT_TYPES.format(part="word/document.xml", type=main)),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", "<w:document/>"),
    ])


def xlsx_bytes() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return _zip([
        ("[Content_Types].xml", CONTENT_TYPES.format(part="xl/workbook.xml", type=main)),
        ("_rels/.rels", "<Relationships/>"),
        ("xl/workbook.xml", "<workbook/>"),
    ])


def hwpx_bytes() -> bytes:
    return _zip([
        ("mimetype", "application/hwp+zip"),
        ("version.xml", "<hv:HCFVersion/>"),
        ("META-INF/container.xml", "<ocf:container/>"),
        ("Contents/content.hpf", "<opf:package/>"),
    ])


def zip_bytes() -> bytes:
    return _zip([("readme.txt", "not a document")])


def hwp_bytes() -> bytes:
    """An OLE2 (compound file, version 3) holding a ``FileHeader`` stream with the HWP 5
    signature. The stream is 4096 bytes, so it lives in regular sectors (no mini stream)."""
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream = (b"HWP Document File".ljust(32, b"\0") + bytes([0, 0, 1, 5])).ljust(4096, b"\0")
    sectors = len(stream) // 512
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end_of_chain, 0,
                     end_of_chain, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = [fat_sector, end_of_chain] + [3 + i for i in range(sectors - 1)] + [end_of_chain]
    fat_bytes = struct.pack("<128I", *(fat + [free] * (128 - len(fat))))

    def entry(name, kind, child, start, size):
        raw = bytearray(128)
        encoded = name.encode("utf-16-le")
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBBIII", raw, 64, len(encoded) + 2, kind, 1, no_stream, no_stream,
                         child)
        struct.pack_into("<IQ", raw, 116, start, size)
        return bytes(raw)

    unused = bytearray(128)
    struct.pack_into("<III", unused, 68, no_stream, no_stream, no_stream)
    directory = (entry("Root Entry", 5, 1, end_of_chain, 0)
                 + entry("FileHeader", 2, no_stream, 2, len(stream)) + bytes(unused) * 2)
    return bytes(header) + fat_bytes + directory + stream


def executable_bytes() -> bytes:
    """A real program of this machine (``true``), to be renamed ``.pdf``."""
    with open(shutil.which("true"), "rb") as program:
        return program.read()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
