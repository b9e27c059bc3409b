"""One checker for every uploaded file, run before any parser sees its bytes.

:func:`check_upload` answers the file's :class:`Kind` among those the caller accepts, judged from
the bytes and checked against the name's extension, or raises one of the file errors below (each
with a stable ``code``). What it refuses:

- a file over ``max_bytes`` (413 ``file_too_large``), or empty or only white space (``file_empty``);
- bytes of a kind the caller does not accept (415 ``unsupported_file_type``), and bytes that are
  not what the extension says, e.g. a PDF named ``.xlsx`` (415 ``file_type_mismatch``);
- a password-protected Office file (an OLE compound file holding ``EncryptionInfo``) and ZIP
  entries flagged as encrypted (``file_encrypted``); a legacy ``.xls``/``.doc`` is not the OOXML
  file its name says;
- a ZIP bomb, judged from the central directory before a byte is inflated: too many entries, the
  declared sizes added up, or a compression ratio over the limit (``file_too_large_uncompressed``;
  ``zipfile`` never inflates more than an entry's declared size, so the bounds hold later);
- a damaged ZIP, entries whose paths leave the archive or repeat, and XML parts of an OOXML
  package with a DTD, found by a real parser (defusedxml) reading each part up to its root
  element, so no comment, processing instruction or UTF-16 encoding hides a ``<!DOCTYPE``
  (``file_unreadable``);
- text that is not UTF-8 (``file_encoding`` for a CSV, which its author can save again), has
  control characters, or, for text that is served back to browsers, starts with markup.

The content type the client sends is never trusted. Callers pass the kinds they accept and the
limits (the defaults are the strictest the platform uses). Everything is synchronous and
CPU-bound: call it through ``anyio.to_thread.run_sync``.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from shared.errors import PayloadTooLarge, Unprocessable

MIB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 10 * MIB
    max_uncompressed_bytes: int = 40 * MIB
    max_zip_entries: int = 1_000
    max_compression_ratio: int = 100  # on entries and packages of more than 1 MiB inflated


@dataclass(frozen=True)
class Kind:
    """A kind of file: its bytes start with ``signature``, or it is a ZIP package holding
    ``parts``, or it is UTF-8 ``text``. ``served`` text is shown back to browsers, so markup is
    refused and bad text is simply not accepted (rather than a fixable encoding error)."""

    name: str
    content_type: str
    extensions: tuple[str, ...]
    signature: bytes = b""
    parts: tuple[str, ...] = ()
    text: bool = False
    served: bool = False


PDF = Kind("pdf", "application/pdf", (".pdf",), signature=b"%PDF-")
PNG = Kind("png", "image/png", (".png",), signature=b"\x89PNG\r\n\x1a\n")
JPEG = Kind("jpeg", "image/jpeg", (".jpg", ".jpeg"), signature=b"\xff\xd8\xff")
XLSX = Kind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    parts=("[Content_Types].xml", "xl/workbook.xml"),
)
DOCX = Kind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    parts=("[Content_Types].xml", "word/document.xml"),
)
CSV = Kind("csv", "text/csv; charset=utf-8", (".csv", ".txt"), text=True)
TEXT = Kind("text", "text/plain; charset=utf-8", (".txt", ".csv", ".md"), text=True, served=True)
KNOWN = (PDF, PNG, JPEG, XLSX, DOCX)  # recognised even where not accepted, to name a mismatch

ZIP_MAGIC = b"PK\x03\x04"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: legacy .xls/.doc, or encrypted OOXML
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_BINARY = (ZIP_MAGIC, CFB_MAGIC, b"GIF8", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf", b"Rar!")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")  # C0 controls but tab and line breaks
_MARKUP = re.compile(r"<\s*(?:!doctype|html|head|body|script|svg|iframe|\?xml)\b", re.IGNORECASE)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")
_UNSAFE_PATH = re.compile(r"^[/\\]|^[A-Za-z]:|\\|\x00|(?:^|/)\.\.(?:/|$)")
_CHUNK = 64 * 1024
_HEAD = 8192
_RATIO_FLOOR = MIB
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError)


# ---------------------------------------------------------------- errors


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"
    title_vi = "Tệp quá lớn"
    title_en = "File too large"


class FileTypeError(Unprocessable):
    status = 415
    code = "unsupported_file_type"
    title_vi = "Định dạng tệp không được hỗ trợ"
    title_en = "Unsupported file type"


class FileTypeMismatch(FileTypeError):
    code = "file_type_mismatch"
    title_vi = "Nội dung tệp không đúng với định dạng"
    title_en = "File content does not match its type"


class FileEmpty(Unprocessable):
    code = "file_empty"
    title_vi = "Tệp không có dữ liệu"
    title_en = "The file is empty"


class FileEncrypted(Unprocessable):
    code = "file_encrypted"
    title_vi = "Tệp được bảo vệ bằng mật khẩu"
    title_en = "The file is password-protected"


class FileTooLargeUncompressed(Unprocessable):
    code = "file_too_large_uncompressed"
    title_vi = "Tệp giải nén quá lớn"
    title_en = "The file is too large once uncompressed"


class FileUnreadable(Unprocessable):
    code = "file_unreadable"
    title_vi = "Không đọc được tệp"
    title_en = "The file cannot be read"


class FileEncoding(Unprocessable):
    code = "file_encoding"
    title_vi = "Tệp CSV không phải UTF-8"
    title_en = "The CSV file is not UTF-8"


def too_large(max_bytes: int) -> FileTooLarge:
    mib = max_bytes / MIB
    return FileTooLarge(
        f"Tệp lớn hơn {mib:g} MB", f"The file is larger than {mib:g} MB", max_bytes=max_bytes
    )


def _unsupported(accept: Iterable[Kind]) -> FileTypeError:
    extensions = ", ".join(dict.fromkeys(e for kind in accept for e in kind.extensions))
    return FileTypeError(f"Chỉ nhận tệp {extensions}", f"Only {extensions} files are accepted")


def _mismatch(named: str, found: Kind | None) -> FileTypeMismatch:
    if found is None:
        return FileTypeMismatch(
            f"Nội dung tệp không phải {named} như tên tệp",
            f"The file's content is not {named} as its name says",
            expected=named.lstrip("."),
        )
    return FileTypeMismatch(
        f"Tên tệp có đuôi {named} nhưng nội dung là {found.extensions[0]}",
        f"The name ends in {named} but the content is {found.extensions[0]}",
        expected=named.lstrip("."),
    )


def _too_large_uncompressed(limits: UploadLimits) -> FileTooLargeUncompressed:
    mib = limits.max_uncompressed_bytes // MIB
    return FileTooLargeUncompressed(
        f"Tệp khi giải nén vượt quá {mib} MB, có quá nhiều phần hoặc tỷ lệ nén bất thường",
        f"The file exceeds {mib} MB uncompressed, has too many parts or compresses suspiciously",
    )


def _encrypted() -> FileEncrypted:
    return FileEncrypted(
        "Tệp được đặt mật khẩu: hãy gỡ mật khẩu rồi tải lên lại",
        "The file is password-protected: remove the password and upload it again",
    )


# ---------------------------------------------------------------- the checker


def check_upload(
    source: bytes | IO[bytes],
    filename: str | None,
    accept: Collection[Kind],
    limits: UploadLimits | None = None,
) -> Kind:
    """The file's kind (one of ``accept``), or the file error that refuses it. A file object is
    read from its start and left there."""
    limits = limits or UploadLimits()
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        size = file.seek(0, io.SEEK_END)
        file.seek(0)
        if size > limits.max_bytes:
            raise too_large(limits.max_bytes)
        if _blank(file):
            raise FileEmpty("Tệp không có nội dung", "The file has no content")
        file.seek(0)
        match = _EXTENSION.search(filename or "")
        extension = match.group().lower() if match else ""
        named = next((k for k in accept if extension in k.extensions), None)
        found = _by_content(file, named, extension, accept, limits)
    finally:
        file.seek(0)
    if found is None or found not in accept:
        if named is not None:
            raise _mismatch(extension, found)
        raise _unsupported(accept)
    if extension and extension not in found.extensions:
        raise _mismatch(extension, found)
    if found.parts:
        try:
            _check_package_xml(file)
        finally:
            file.seek(0)
    return found


def _blank(file: IO[bytes]) -> bool:
    for chunk in iter(lambda: file.read(_CHUNK), b""):
        if chunk.strip():
            return False
    return True


def _by_content(
    file: IO[bytes],
    named: Kind | None,
    extension: str,
    accept: Collection[Kind],
    limits: UploadLimits,
) -> Kind | None:
    head = file.read(_HEAD)
    file.seek(0)
    for kind in (*accept, *KNOWN):
        if kind.signature and head.startswith(kind.signature):
            return kind
    if head.startswith(CFB_MAGIC):
        if any(k.parts for k in accept) and _ENCRYPTION_INFO in file.read():
            raise _encrypted()
        return None
    if head.startswith(ZIP_MAGIC):
        return _package(file, accept, limits)
    text = named if named is not None else next((k for k in accept if k.text), None)
    if text is None or not text.text:
        return None
    _check_text(file, text, extension if named else "", accept)
    return text


# ---------------------------------------------------------------- text


def _check_text(file: IO[bytes], kind: Kind, extension: str, accept: Collection[Kind]) -> None:
    """UTF-8 without control characters (and, when served, without markup at its start).
    ``extension``: the one that named ``kind``, if any (binary bytes contradict it)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    start = ""
    try:
        for number, chunk in enumerate(iter(lambda: file.read(_CHUNK), b"")):
            if (number == 0 and chunk.startswith(_BINARY)) or _CONTROL.search(chunk):
                if extension and not kind.served:
                    raise _mismatch(extension, None)
                raise _unsupported(accept)
            text = decoder.decode(chunk)
            if kind.served and len(start) < 1024:
                start += text[:1024]
                if _MARKUP.search(start[:1024]):
                    raise _unsupported(accept)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        if kind.served:
            raise _unsupported(accept) from None
        raise FileEncoding(
            "Hãy lưu tệp CSV với bảng mã UTF-8", "Save the CSV file with UTF-8 encoding"
        ) from None


# ---------------------------------------------------------------- ZIP packages


def _package(file: IO[bytes], accept: Collection[Kind], limits: UploadLimits) -> Kind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            _check_entries(entries, limits)
    except _ZIP_ERRORS:
        raise FileUnreadable("Tệp nén bị hỏng", "The ZIP package is corrupt") from None
    names = {entry.filename for entry in entries}
    return next(
        (k for k in (*accept, *KNOWN) if k.parts and all(p in names for p in k.parts)), None
    )


def _check_package_xml(file: IO[bytes]) -> None:
    try:
        with zipfile.ZipFile(file) as archive:
            for entry in archive.infolist():
                if entry.filename.lower().endswith((".xml", ".rels")):
                    _check_xml(archive, entry)
    except _ZIP_ERRORS:
        raise FileUnreadable("Tệp nén bị hỏng", "The ZIP package is corrupt") from None


def _check_entries(entries: list[zipfile.ZipInfo], limits: UploadLimits) -> None:
    inflated = sum(entry.file_size for entry in entries)
    deflated = sum(entry.compress_size for entry in entries)
    if (
        len(entries) > limits.max_zip_entries
        or inflated > limits.max_uncompressed_bytes
        or _too_compressed(inflated, deflated, limits)
        or any(_too_compressed(e.file_size, e.compress_size, limits) for e in entries)
    ):
        raise _too_large_uncompressed(limits)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _encrypted()
    names = [entry.filename for entry in entries]
    if len(set(names)) < len(names) or any(_UNSAFE_PATH.search(name) for name in names):
        raise FileUnreadable(
            "Tệp nén có đường dẫn lặp hoặc ra ngoài gói",
            "The ZIP package has repeated paths or paths leading outside it",
        )


def _too_compressed(inflated: int, deflated: int, limits: UploadLimits) -> bool:
    return inflated > _RATIO_FLOOR and inflated > limits.max_compression_ratio * max(deflated, 1)


class _RootReached(Exception):
    """The root element started: a DTD can no longer come."""


class _StopAtRoot:
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def _check_xml(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Parse the part's prolog (everything before the root element) with DTDs forbidden."""
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True)
    try:
        with archive.open(entry) as part:
            for chunk in iter(lambda: part.read(_CHUNK), b""):
                parser.feed(chunk)
        parser.close()  # no root element at all: not XML
    except _RootReached:
        return
    except DefusedXmlException:
        raise FileUnreadable(
            "Tệp chứa khai báo DTD không được phép", "The file contains a forbidden DTD"
        ) from None
    except ParseError:
        raise FileUnreadable(
            f"Phần {entry.filename} của tệp không phải XML hợp lệ",
            f"The part {entry.filename} is not well-formed XML",
        ) from None
    raise FileUnreadable("Tệp bị hỏng", "The file is corrupt")


# ---------------------------------------------------------------- names


MAX_NAME = 255
# C0 and C1 controls, and the bidirectional controls that make ``invoice\u202efdp.exe`` show as
# ``invoiceexe.pdf``: embeddings and overrides, isolates, the marks LRM, RLM and ALM.
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean_filename(raw: str | None) -> str:
    """The client's file name, NFC, without folders, control or bidirectional control characters,
    at most 255 long."""
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
