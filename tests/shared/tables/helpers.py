"""Small real files for the kit's tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from docx import Document
from openpyxl import Workbook


def xlsx(
    rows: Sequence[Sequence[object]], *sheets: tuple[str, Sequence[Sequence[object]]]
) -> bytes:
    workbook = Workbook(write_only=True)
    for title, content in (("Sheet", rows), *sheets):
        sheet = workbook.create_sheet(title)
        for row in content:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx(
    rows: Sequence[Sequence[str]], merges: tuple[tuple[int, int, int, int], ...] = ()
) -> bytes:
    """A document with one table; ``merges`` are (row, column, to_row, to_column) spans whose
    text is the top-left cell's."""
    document = Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for r, c, r2, c2 in merges:
        table.cell(r, c).merge(table.cell(r2, c2))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change) -> bytes:
    """The ZIP package with ``part`` changed by ``change`` (bytes to bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, change(content) if item.filename == part else content)
    return buffer.getvalue()
