"""Tiny real files of every kind, and a files folder of the test's own for the app."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
import openpyxl
from fastapi import FastAPI

from plans_api.file.storage import FileStore, get_store

API = "/api/plans/v1"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf(text: str = "Báo cáo") -> bytes:
    body = f"BT /F1 12 Tf 10 10 Td ({text.encode('ascii', 'replace').decode()}) Tj ET".encode()
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        + b"3 0 obj <</Length %d>> stream\n" % len(body)
        + body
        + b"\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xd9"


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Minh chứng cải cách hành chính")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Chỉ tiêu", "Giá trị"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("ghi-chu.txt", "không phải tệp Office")
    return out.getvalue()


OLE = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@contextmanager
def files_in(app: FastAPI, folder: Path, max_bytes: int = 10 * 1024 * 1024) -> Iterator[Path]:
    """The app stores files in ``folder`` (and accepts up to ``max_bytes``) until the exit."""
    app.dependency_overrides[get_store] = lambda: FileStore(folder, max_bytes)
    try:
        yield folder
    finally:
        app.dependency_overrides.pop(get_store, None)


async def upload(
    client, headers, name: str, data: bytes, content_type: str = "application/octet-stream"
):
    return await client.post(
        f"{API}/files", headers=headers, files={"file": (name, data, content_type)}
    )
