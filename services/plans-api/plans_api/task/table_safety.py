"""Safety checks on an uploaded task-table file, made before any of it is parsed.

Each failure is one of the file errors of :mod:`plans_api.tabular` (shared with the officials
import), with a stable ``code``: size (``file_too_large``), nothing in it (``file_empty``), a type
other than XLSX, CSV or DOCX (``unsupported_file_type``), content that is not what the name says
(``file_type_mismatch``: XLSX and DOCX are ZIP packages with ``[Content_Types].xml`` and
``xl/workbook.xml`` or ``word/document.xml``; CSV is text, ``file_encoding`` when it is not
UTF-8), a password-protected Office file, which is an OLE compound file holding
``EncryptionInfo`` (``file_encrypted``), a ZIP bomb, judged from the ZIP central directory before
a byte is inflated: too many parts, the declared sizes added up, or an absurd compression ratio
(``file_too_large_uncompressed``), and a damaged package or an XML part with a DTD
(``file_unreadable``). The reader stops past its row limit (``too_many_rows``).

XML: OOXML never has a DTD, so a part that declares one before its root element is refused here.
On top of that the parsers never resolve entities: openpyxl parses worksheets with defusedxml
(which refuses DTDs and entities) and the rest with ``lxml`` and ``resolve_entities=False``;
python-docx parses with ``etree.XMLParser(remove_blank_text=True, resolve_entities=False)``
(``docx.oxml.parser``), and lxml loads no external DTD and uses no network unless asked
(``load_dtd=False``, ``no_network=True``).
"""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

from plans_api.tabular import (
    FileEmpty,
    FileEncoding,
    FileEncrypted,
    FileTooLarge,
    FileTooLargeUncompressed,
    FileTypeError,
    FileTypeMismatch,
    FileUnreadable,
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # checked on parts and packages of more than 1 MB inflated
MAX_ZIP_ENTRIES = 2_000


class FileKind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    DOCX = "docx"


def detect_kind(data: bytes, filename: str, content_type: str | None) -> FileKind:
    """The file's kind by its name (or content type), checked against its content."""
    kind = _declared_kind(filename, content_type)
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"Tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB",
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB",
        )
    if not data.strip():
        raise FileEmpty("Tệp không có nội dung", "The file has no content")
    if data.startswith(_OLE_MAGIC):
        _reject_ole(data, kind)
    if kind is FileKind.CSV:
        _check_csv_bytes(data)
    else:
        _check_package(data, kind)
    return kind


# ---------------------------------------------------------------- kind and sniffing

_EXTENSIONS = {".xlsx": FileKind.XLSX, ".csv": FileKind.CSV, ".docx": FileKind.DOCX}
_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileKind.XLSX,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileKind.DOCX,
    "text/csv": FileKind.CSV,
    "application/csv": FileKind.CSV,
}
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_PACKAGE_PART = {FileKind.XLSX: "xl/workbook.xml", FileKind.DOCX: "word/document.xml"}
_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(r"<[A-Za-z_]")
_PROLOG_BYTES = 64 * 1024


def _declared_kind(filename: str, content_type: str | None) -> FileKind:
    name = (filename or "").strip().lower()
    for extension, kind in _EXTENSIONS.items():
        if name.endswith(extension):
            return kind
    media = (content_type or "").split(";")[0].strip().lower()
    if "." not in name.rsplit("/", 1)[-1] and media in _CONTENT_TYPES:
        return _CONTENT_TYPES[media]
    raise FileTypeError(
        "Chỉ nhận tệp .xlsx, .csv hoặc .docx", "Only .xlsx, .csv and .docx files are accepted"
    )


def _reject_ole(data: bytes, kind: FileKind) -> None:
    """An OLE compound file: an encrypted OOXML package, or a legacy .xls/.doc."""
    if kind is not FileKind.CSV and "EncryptionInfo".encode("utf-16-le") in data:
        raise FileEncrypted(
            "Tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại",
            "The file is password-protected; remove the password and upload it again",
        )
    raise FileTypeMismatch(
        f"Tệp là định dạng Office cũ (.xls/.doc), không phải .{kind.value}; hãy lưu lại dạng "
        f".{kind.value}",
        f"The file is a legacy Office file (.xls/.doc), not .{kind.value}; save it as "
        f".{kind.value}",
    )


def _check_csv_bytes(data: bytes) -> None:
    if data.startswith(_ZIP_MAGIC) or b"\x00" in data:
        raise FileTypeMismatch(
            "Tệp không phải văn bản CSV", "The file is not CSV text (it is a binary file)"
        )


def decode_csv(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileEncoding(
            "Hãy lưu tệp CSV với bảng mã UTF-8", "Save the CSV file with UTF-8 encoding"
        ) from None


def _check_package(data: bytes, kind: FileKind) -> None:
    if not data.startswith(_ZIP_MAGIC):
        raise FileTypeMismatch(
            f"Tệp không phải tệp .{kind.value}", f"The file is not a .{kind.value} file"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            entries = package.infolist()
            _check_inflated_sizes(entries)
            _check_parts(package, entries, kind)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError):
        raise FileUnreadable("Tệp nén bị hỏng", "The ZIP package is corrupt") from None


def _too_large_uncompressed() -> FileTooLargeUncompressed:
    return FileTooLargeUncompressed(
        "Tệp khi giải nén quá lớn hoặc có tỷ lệ nén bất thường",
        "The file is too large once uncompressed, or compressed suspiciously well",
    )


def _check_inflated_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """Zip-bomb checks on the central directory's declared sizes (zipfile never inflates more
    than a part's declared size, so these bounds hold for what is read later)."""
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _too_large_uncompressed()
    inflated = sum(entry.file_size for entry in entries)
    deflated = sum(entry.compress_size for entry in entries)
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise _too_large_uncompressed()
    big = 1024 * 1024
    if inflated > big and inflated > MAX_COMPRESSION_RATIO * max(deflated, 1):
        raise _too_large_uncompressed()
    for entry in entries:
        if entry.file_size > big and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise _too_large_uncompressed()


def _check_parts(package: zipfile.ZipFile, entries: list[zipfile.ZipInfo], kind: FileKind) -> None:
    names = {entry.filename for entry in entries}
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise FileEncrypted("Tệp được đặt mật khẩu", "The file is password-protected")
    if "[Content_Types].xml" not in names:
        raise FileTypeMismatch(
            f"Tệp không phải tệp .{kind.value}", f"The file is not a .{kind.value} file"
        )
    if _PACKAGE_PART[kind] not in names:
        other = next((k for k, part in _PACKAGE_PART.items() if part in names), None)
        found = f" (tệp .{other.value})" if other else ""
        found_en = f" (it is a .{other.value} file)" if other else ""
        raise FileTypeMismatch(
            f"Nội dung tệp không phải .{kind.value}{found}",
            f"The content is not .{kind.value}{found_en}",
        )
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")) and _declares_dtd(package, entry):
            raise FileUnreadable(
                "Tệp chứa khai báo DTD không được phép", "The file contains a forbidden DTD"
            )


def _declares_dtd(package: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Whether the XML part has a DTD before its root element (or no root in sight)."""
    with package.open(entry) as part:
        head = part.read(_PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("utf-8", errors="replace")
    root = _ROOT_START.search(text)
    if root is None:
        return bool(text.strip()) and len(head) == _PROLOG_BYTES
    return _DOCTYPE.search(text, 0, root.start()) is not None
