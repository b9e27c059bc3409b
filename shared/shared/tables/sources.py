"""Rows of an uploaded table, streamed: XLSX sheets, CSV files and DOCX tables.

Each source yields :class:`Row` objects holding the cells as the parser gives them, at most
``max_columns`` of them. XLSX is read with openpyxl in read-only mode (a forged ``<dimension>``
does not pad rows), CSV over a text stream, so memory stays bounded however long the file is;
the caller stops reading when it has enough. In DOCX tables the layout grid is read: a cell
spanning several columns or rows is repeated in each, flagged ``spread`` (it repeats the cell on
its left) or ``continued`` (it repeats the cell above).

Check the file with :func:`shared.uploads.check_upload` first. A damaged file raises
:class:`~shared.uploads.FileUnreadable`. Synchronous: call it from a worker thread.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import chain, islice
from typing import IO, Any

from shared.uploads import CSV, XLSX, FileEmpty, FileEncoding, FileUnreadable, Kind

CSV_DELIMITERS = (",", ";", "\t")
_DELIMITER_LINES = 20


@dataclass(slots=True)
class Row:
    """A row of a source; ``index`` is its number as the spreadsheet shows it (1-based)."""

    index: int
    values: list[Any]
    spread: list[bool] | None = None
    continued: list[bool] | None = None

    def is_spread(self, column: int) -> bool:
        return bool(self.spread and column < len(self.spread) and self.spread[column])

    def is_continued(self, column: int) -> bool:
        return bool(self.continued and column < len(self.continued) and self.continued[column])

    def is_blank(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.values)

    def text(self, column: int | None) -> str:
        """The cell as text: "" when absent, empty or repeating the cell on its left."""
        if column is None or column >= len(self.values) or self.is_spread(column):
            return ""
        value = self.values[column]
        return "" if value is None else str(value)


def first_table(file: IO[bytes], kind: Kind, max_columns: int) -> Generator[Row]:
    """The rows of the CSV, of the first sheet (XLSX) or of the first table (DOCX)."""
    if kind is CSV:
        yield from csv_rows(file, max_columns)
        return
    sources = xlsx_sheets(file, max_columns) if kind is XLSX else docx_tables(file, max_columns)
    with closing(sources):
        for _, rows in sources:
            yield from rows
            return
    raise FileEmpty("Tệp không có bảng nào", "The file has no sheet or table")


# ---------------------------------------------------------------- XLSX


def xlsx_sheets(file: IO[bytes], max_columns: int) -> Generator[tuple[str, Iterator[Row]]]:
    """Each worksheet (chartsheets have no cells) by title, with its rows."""
    from openpyxl import load_workbook  # imported here: only importers need it

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise _unreadable("Excel", "workbook") from exc
    try:
        for sheet in workbook.worksheets:
            if hasattr(sheet, "iter_rows"):
                yield sheet.title, _xlsx_rows(sheet, max_columns)
    finally:
        workbook.close()


def _xlsx_rows(sheet: Any, max_columns: int) -> Iterator[Row]:
    sheet.reset_dimensions()  # a forged <dimension> must not add a million empty rows
    index = 0
    try:
        for cells in sheet.iter_rows(max_col=max_columns):
            first = next((c for c in cells if getattr(c, "row", None)), None)
            index = first.row if first is not None else index + 1
            values = [c.value for c in cells]
            while values and values[-1] is None:  # openpyxl pads each row to max_col
                values.pop()
            yield Row(index, values)
    except Exception as exc:  # a damaged sheet fails while it is read
        raise _unreadable("Excel", "workbook") from exc


def _unreadable(vi: str, en: str) -> FileUnreadable:
    return FileUnreadable(f"Không đọc được tệp {vi}", f"The {en} cannot be read")


# ---------------------------------------------------------------- CSV


def csv_rows(file: IO[bytes], max_columns: int, delimiter: str | None = None) -> Generator[Row]:
    """The rows of a UTF-8 CSV (a BOM is skipped). Without ``delimiter``, the one of
    :data:`CSV_DELIMITERS` found most often in the first lines."""
    # newline="" leaves line endings to the csv module (quoted cells may hold new lines).
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = list(islice(text, _DELIMITER_LINES))
        if delimiter is None:
            sample = "".join(first)
            delimiter = max(CSV_DELIMITERS, key=sample.count)
        reader = csv.reader(chain(first, text), delimiter=delimiter)
        for index, cells in enumerate(reader, start=1):
            yield Row(index, list(cells[:max_columns]))
    except UnicodeDecodeError as exc:
        raise FileEncoding(
            "Hãy lưu tệp CSV với bảng mã UTF-8", "Save the CSV file with UTF-8 encoding"
        ) from exc
    except csv.Error as exc:
        raise FileUnreadable(f"Tệp CSV lỗi: {exc}", f"Malformed CSV: {exc}") from exc
    finally:
        text.detach()  # the upload stays open for its owner


# ---------------------------------------------------------------- DOCX


def docx_tables(file: IO[bytes], max_columns: int) -> Generator[tuple[str, Iterator[Row]]]:
    """Each table of the document ("table 1", …), with its rows on the layout grid."""
    from docx import Document

    try:
        tables = list(Document(file).tables)
    except Exception as exc:  # python-docx and lxml raise many kinds on a broken package
        raise _unreadable("Word", "document") from exc
    for number, table in enumerate(tables, start=1):
        yield f"table {number}", _docx_rows(table, max_columns)


def _docx_rows(table: Any, max_columns: int) -> Iterator[Row]:
    from docx.oxml.ns import qn

    paragraph = qn("w:p")
    above: list[Any] = []
    values_above: list[str] = []
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        tcs: list[Any] = [None] * tr.grid_before
        for tc in tr.tc_lst:
            tcs.extend([tc] * tc.grid_span)
        tcs = tcs[:max_columns]
        values, spread, continued = [], [], []
        for column, tc in enumerate(tcs):
            is_continued = tc is not None and tc.vMerge == "continue" and column < len(above)
            if is_continued:
                tcs[column] = above[column]
                values.append(values_above[column])
            else:
                values.append(_tc_text(tc, paragraph))
            continued.append(is_continued)
            spread.append(column > 0 and tcs[column] is not None and tcs[column] is tcs[column - 1])
        above, values_above = tcs, values
        yield Row(index, values, spread, continued)


def _tc_text(tc: Any, paragraph: str) -> str:
    if tc is None:
        return ""
    return "\n".join(p.text for p in tc.iterchildren(paragraph))
