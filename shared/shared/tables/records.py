"""A table as records: the header found among the first rows, then one record per data row.

For tables whose columns are fixed by name (the officials' sheet): every required column must be
named by one header row; the rows after it become :class:`Record` objects of the known columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from shared.tables.errors import MissingColumns, TooManyRows
from shared.tables.header import (
    HEADER_SEARCH_ROWS,
    Column,
    Header,
    is_column_numbering,
    map_header,
    missing_columns,
)
from shared.tables.sources import Row
from shared.uploads import FileEmpty

_BLANK_ROWS_ALLOWED = 1_000  # past the row limit: endless blank rows are a bomb too


@dataclass(frozen=True)
class Record:
    row: int  # the row number as the spreadsheet shows it (1-based, header included)
    values: dict[str, Any]  # key → raw cell (None for an empty cell)


def read_records(
    rows: Iterator[Row], columns: Sequence[Column], max_rows: int
) -> tuple[Header, list[Record]]:
    """The header (the first of the first rows that names every required column) and every
    non-blank data row after it. Raises ``MissingColumns``, ``TooManyRows`` as soon as the
    limit is passed, and ``FileEmpty`` when there is no data row. The caller closes ``rows``."""
    header: Header | None = None
    best: Header | None = None  # the row naming the most columns, for the error
    seen = 0
    records: list[Record] = []
    for row in rows:
        if row.is_blank():
            if row.index > 2 * max_rows + _BLANK_ROWS_ALLOWED:
                raise TooManyRows(max_rows)
            continue
        if header is None:
            seen += 1
            candidate = map_header(row.values, columns)
            if not missing_columns(candidate, columns):
                header = candidate
            elif seen >= HEADER_SEARCH_ROWS:
                raise MissingColumns(missing_columns(best or candidate, columns))
            elif best is None or len(candidate.positions) > len(best.positions):
                best = candidate
            continue
        if not records and is_column_numbering(row):
            continue
        if len(records) >= max_rows:
            raise TooManyRows(max_rows)
        values = {
            k: row.values[p] if p < len(row.values) else None for k, p in header.positions.items()
        }
        records.append(Record(row.index, values))
    if header is None and best is not None:
        raise MissingColumns(missing_columns(best, columns))
    if header is None or not records:
        raise FileEmpty("Tệp không có dòng dữ liệu nào", "The file has no data rows")
    return header, records
