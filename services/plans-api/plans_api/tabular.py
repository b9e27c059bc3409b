"""Reading uploaded tables (XLSX, CSV) safely, for every importer of plans-api.

What it guards against, before any parser sees the bytes: files over a size limit (413), empty
files, content that is not what the extension says (a ZIP that is not a workbook, a workbook
named ``.csv``), password-protected workbooks (an encrypted OOXML file is an OLE/CFB container,
not a ZIP), and zip bombs (the uncompressed sizes in the ZIP directory are summed first).
Rows are then streamed (openpyxl in read-only mode, ``csv`` over a text stream) with a row limit
that stops reading as soon as it is passed, so memory stays bounded by the limits.

Everything here is synchronous and CPU-bound: call it through ``anyio.to_thread.run_sync``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Generator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain
from typing import IO, Any, Literal

from shared.errors import Unprocessable
from shared.uploads import (
    CSV,
    XLSX,
    FileEmpty,
    FileEncoding,
    FileUnreadable,
    UploadLimits,
    check_upload,
)

TableKind = Literal["xlsx", "csv"]
TABLE_KINDS = (XLSX, CSV)


@dataclass(frozen=True)
class Limits:
    max_rows: int = 20_000
    max_columns: int = 100
    upload: UploadLimits = field(default_factory=UploadLimits)


# --- errors (stable codes; each carries Vietnamese and English text) -----------------------


class TooManyRows(Unprocessable):
    code = "too_many_rows"
    title_vi = "Tệp có quá nhiều dòng"
    title_en = "Too many rows"


class MissingColumns(Unprocessable):
    code = "missing_columns"
    title_vi = "Thiếu cột bắt buộc"
    title_en = "Required columns are missing"


class DuplicateColumns(Unprocessable):
    code = "duplicate_columns"
    title_vi = "Cột bị lặp"
    title_en = "Duplicate columns"


# --- text helpers ------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without diacritics, punctuation or repeated spaces: ``Họ và tên (*)`` →
    ``ho va ten``. For matching headers and names accent-insensitively."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def nfc(text: str) -> str:
    """NFC, trimmed, inner runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- opening and sniffing ----------------------------------------------------------------


def detect_kind(file: IO[bytes], filename: str | None, limits: Limits) -> TableKind:
    """The kind of an uploaded table, checked against its content; raises the file errors."""
    return "xlsx" if check_upload(file, filename, TABLE_KINDS, limits.upload) is XLSX else "csv"


# --- rows ---------------------------------------------------------------------------------


def iter_raw_rows(file: IO[bytes], kind: TableKind, limits: Limits) -> Generator[tuple[Any, ...]]:
    """Every physical row of the first sheet (or the CSV), cells as the parser gives them."""
    if kind == "xlsx":
        return _xlsx_rows(file, limits)
    return _csv_rows(file, limits)


def _xlsx_rows(file: IO[bytes], limits: Limits) -> Generator[tuple[Any, ...]]:
    from openpyxl import load_workbook  # imported here: only importers need it

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise FileUnreadable("Không đọc được tệp .xlsx", "The .xlsx file cannot be read") from exc
    try:
        if not workbook.worksheets:
            raise FileEmpty("Tệp không có trang tính nào", "The workbook has no sheet")
        sheet = workbook.worksheets[0]
        try:
            yield from sheet.iter_rows(max_col=limits.max_columns, values_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise FileUnreadable("Tệp .xlsx bị hỏng", "The .xlsx file is corrupt") from exc
    finally:
        workbook.close()


def _csv_rows(file: IO[bytes], limits: Limits) -> Generator[tuple[Any, ...]]:
    # newline="" leaves line endings to the csv module (quoted cells may hold new lines).
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        for row in csv.reader(chain([first], text), delimiter=delimiter):
            yield tuple(row[: limits.max_columns])
    except UnicodeDecodeError as exc:
        raise FileEncoding(
            "Hãy lưu tệp CSV với bảng mã UTF-8", "Save the CSV file with UTF-8 encoding"
        ) from exc
    except csv.Error as exc:
        raise FileUnreadable(f"Tệp CSV lỗi: {exc}", f"Malformed CSV: {exc}") from exc
    finally:
        text.detach()  # the upload stays open for its owner


def _blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# --- header and records -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column an importer knows: its key and the header texts that name it (any language)."""

    key: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass
class Header:
    """Where each known column is: key → position, and the header text as the file has it."""

    positions: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    row: int  # the row number as the spreadsheet shows it (1-based, header included)
    values: dict[str, Any]  # key → raw cell (None for an empty cell)


def map_header(cells: Sequence[Any], columns: Sequence[Column]) -> Header:
    """The known columns a row names (unknown ones are ignored); a column named twice is an
    error."""
    by_alias = {fold(alias): column for column in columns for alias in column.aliases}
    header = Header()
    for position, cell in enumerate(cells):
        column = by_alias.get(fold(str(cell))) if cell is not None else None
        if column is None:
            continue
        if column.key in header.positions:
            raise DuplicateColumns(
                f"Cột '{cell}' xuất hiện hai lần",
                f"Column '{cell}' appears twice",
                column=str(cell),
            )
        header.positions[column.key] = position
        header.titles[column.key] = nfc(str(cell))
    return header


def missing_columns(header: Header, columns: Sequence[Column]) -> list[str]:
    return [c.aliases[0] for c in columns if c.required and c.key not in header.positions]


def _missing(header: Header | None, columns: Sequence[Column]) -> MissingColumns:
    missing = missing_columns(header or Header(), columns)
    return MissingColumns(
        "Thiếu cột: " + ", ".join(missing),
        "Missing columns: " + ", ".join(missing),
        missing=missing,
    )


# Forms have a title above the header, and often a row numbering the columns under it.
HEADER_SEARCH_ROWS = 20
_COLUMN_NUMBER = re.compile(r"^\(?\d+\)?$")


def _numbering(cells: Sequence[Any]) -> bool:
    filled = [cell_text(c) for c in cells if not _blank([c])]
    return len(filled) >= 2 and all(_COLUMN_NUMBER.match(c or "") for c in filled)


def read_records(
    file: IO[bytes], kind: TableKind, columns: Sequence[Column], limits: Limits
) -> tuple[Header, list[Record]]:
    """The header (the first of the first rows that names every required column) and every
    non-blank data row after it. Raises the file errors, ``MissingColumns``, ``TooManyRows`` as
    soon as the limit is passed, and ``FileEmpty`` when there is no data row."""
    header: Header | None = None
    best: Header | None = None  # the row naming the most columns, for the error
    seen = 0
    records: list[Record] = []
    with closing(iter_raw_rows(file, kind, limits)) as rows:
        for number, cells in enumerate(rows, start=1):
            if _blank(cells):
                if number > 2 * limits.max_rows + 1000:  # endless blank rows are a bomb too
                    raise _too_many(limits)
                continue
            if header is None:
                seen += 1
                candidate = map_header(cells, columns)
                if not missing_columns(candidate, columns):
                    header = candidate
                elif seen >= HEADER_SEARCH_ROWS:
                    raise _missing(best, columns)
                elif best is None or len(candidate.positions) > len(best.positions):
                    best = candidate
                continue
            if not records and _numbering(cells):
                continue
            if len(records) >= limits.max_rows:
                raise _too_many(limits)
            values = {k: cells[p] if p < len(cells) else None for k, p in header.positions.items()}
            records.append(Record(number, values))
    if header is None and best is not None:
        raise _missing(best, columns)
    if header is None or not records:
        raise FileEmpty("Tệp không có dòng dữ liệu nào", "The file has no data rows")
    return header, records


def _too_many(limits: Limits) -> TooManyRows:
    return TooManyRows(
        f"Tệp có hơn {limits.max_rows} dòng dữ liệu",
        f"The file has more than {limits.max_rows} data rows",
        max_rows=limits.max_rows,
    )


# --- cell values --------------------------------------------------------------------------

_TRUE = frozenset({"co", "x", "1", "yes", "y", "true", "dung", "c"})
_FALSE = frozenset({"khong", "0", "no", "n", "false", "sai", "k"})
_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read as the column needs; ``code`` names why."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.vi = vi
        self.en = en


def cell_text(value: Any) -> str | None:
    """A cell as trimmed NFC text; None when empty. Whole numbers lose Excel's ``.0``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = nfc(str(value))
    return text or None


def cell_bool(value: Any) -> bool | None:
    """Có/Không, x, 1/0, yes/no, true/false (and Excel's booleans); None when empty."""
    if value is None or isinstance(value, bool):
        return value
    text = cell_text(value)
    if text is None:
        return None
    folded = fold(text)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError("invalid_boolean", "Cần ghi Có hoặc Không", "Expected yes or no (Có/Không)")


def cell_date(value: Any) -> date | None:
    """A date cell, an Excel serial number, ``dd/mm/yyyy`` or ISO ``yyyy-mm-dd``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value)
    if text is None:
        return None
    try:
        match = _DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise CellError(
            "invalid_date", "Ngày không hợp lệ (dd/mm/yyyy)", "Invalid date (dd/mm/yyyy)"
        ) from exc
