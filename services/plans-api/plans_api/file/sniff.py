"""What an uploaded file is, judged from its bytes (never from the name or the client's content
type), and whether its name agrees.

Accepted: PDF, PNG, JPEG, DOCX and XLSX (ZIP packages, checked by
:func:`plans_api.task.table_safety.detect_kind`: parts, zip bombs, encryption, DTDs) and plain
UTF-8 text. Everything else is refused, markup included (HTML, SVG, XML: a browser could run it),
as are legacy OLE files (.doc, .xls, encrypted Office files) and plain ZIP archives.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from plans_api.tabular import FileEmpty, FileTypeError, FileTypeMismatch
from plans_api.task.table_safety import detect_kind


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]


PDF = Kind("application/pdf", (".pdf",))
PNG = Kind("image/png", (".png",))
JPEG = Kind("image/jpeg", (".jpg", ".jpeg"))
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
TEXT = Kind("text/plain; charset=utf-8", (".txt", ".csv", ".md"))

_MAGICS = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
_ZIP_MAGIC = b"PK\x03\x04"
_PACKAGE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|script|svg|iframe|\?xml)\b", re.IGNORECASE)
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
MAX_NAME = 255


def _unsupported() -> FileTypeError:
    return FileTypeError(
        "Chỉ nhận tệp PDF, PNG, JPEG, DOCX, XLSX hoặc văn bản UTF-8",
        "Only PDF, PNG, JPEG, DOCX, XLSX and plain UTF-8 text files are accepted",
    )


def clean_name(raw: str | None) -> str:
    """The client's file name, NFC, without folders or control characters, at most 255 long."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _NAME_CONTROL.sub("", name).strip()
    if name in ("", ".", ".."):
        return "file"
    if len(name) > MAX_NAME:
        extension = _EXTENSION.search(name)
        suffix = extension.group() if extension else ""
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name


def sniff(data: bytes, name: str) -> Kind:
    """The file's kind from its content; 415 when unsupported or when the name's extension says
    otherwise, 422 when empty (and the ZIP safety errors of ``detect_kind``)."""
    if not data:
        raise FileEmpty("Tệp không có nội dung", "The file has no content")
    kind = _by_content(data)
    extension = _EXTENSION.search(name)
    if extension and extension.group().lower() not in kind.extensions:
        raise FileTypeMismatch(
            f"Tên tệp có phần mở rộng {extension.group()} nhưng nội dung là {kind.extensions[0]}",
            f"The name ends in {extension.group()} but the content is {kind.extensions[0]}",
        )
    return kind


def _by_content(data: bytes) -> Kind:
    for magic, kind in _MAGICS:
        if data.startswith(magic):
            return kind
    if data.startswith(_ZIP_MAGIC):
        return _package(data)
    return _text(data)


def _package(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise _unsupported() from None
    kind = next((k for part, k in _PACKAGE_PARTS if part in names), None)
    if kind is None:
        raise _unsupported()
    detect_kind(data, f"evidence{kind.extensions[0]}", None)  # the ZIP safety checks
    return kind


def _text(data: bytes) -> Kind:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unsupported() from None
    if _CONTROL.search(text) or _MARKUP.search(text[:1024]):
        raise _unsupported()
    if not text.strip():
        raise FileEmpty("Tệp không có nội dung", "The file has no content")
    return TEXT
