"""The header of a task table: which column is the number, the title, the lead unit, ….

Found among the first rows by its words, Vietnamese or English, with accents and case ignored
(``STT``/``TT``, ``Nội dung``/``Nhiệm vụ``, ``Đơn vị chủ trì``, ``Cơ quan phối hợp``,
``Sản phẩm``/``Kết quả``, ``Thời gian``/``Thời hạn``, ``Ghi chú``; a ``Mục tiêu``/``Nhóm nhiệm
vụ`` column names each row's objective; an unnamed column left of the content is the number).
The header may be two rows, when a header cell spans two columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from plans_api.task.table_numbering import parse_mark
from shared.tables.header import HEADER_SEARCH_ROWS, merged_header
from shared.tables.sources import Row
from shared.text import fold_words


class Column(StrEnum):
    NUMBER = "number"
    TITLE = "title"
    LEAD = "lead"
    COORDINATING = "coordinating"
    PRODUCT = "product"
    SCHEDULE = "schedule"
    NOTE = "note"
    OBJECTIVE = "objective"


COLUMN_LABELS = {  # the words of the exported header, used in messages too
    Column.NUMBER: "STT",
    Column.TITLE: "Nội dung",
    Column.LEAD: "Cơ quan chủ trì",
    Column.COORDINATING: "Cơ quan phối hợp",
    Column.PRODUCT: "Sản phẩm",
    Column.SCHEDULE: "Thời gian thực hiện",
    Column.NOTE: "Ghi chú",
    Column.OBJECTIVE: "Mục tiêu",
}
REQUIRED = (Column.NUMBER, Column.TITLE)

# Tried in order on the folded header text; the first pattern found decides the column.
_HEADER_WORDS: tuple[tuple[Column, re.Pattern[str]], ...] = tuple(
    (column, re.compile(pattern))
    for column, pattern in (
        (Column.NUMBER, r"^(?:stt|tt|so tt|so thu tu|thu tu|no|number|item)$"),
        (Column.NOTE, r"\bghi chu\b|\bnotes?\b|\bremarks?\b"),
        (Column.LEAD, r"\bchu tri\b|\blead\b|\bresponsible\b"),
        (Column.COORDINATING, r"\bphoi hop\b|\bcoordinat"),
        (Column.SCHEDULE, r"\bthoi gian\b|\bthoi han\b|\btien do\b|\bdeadline\b|\btime\b|\bdue\b"),
        (Column.OBJECTIVE, r"\bmuc tieu\b|\bnhom nhiem vu\b|\bobjective\b|\bgoal\b"),
        (
            Column.PRODUCT,
            r"\bsan pham\b|\bket qua\b|^(?:cac )?hoat dong\b|\bproducts?\b|\boutputs?\b",
        ),
        (Column.TITLE, r"\bnoi dung\b|\bnhiem vu\b|\bcong viec\b|\btasks?\b|\btitle\b|\bcontent"),
    )
)


def column_of(header: str) -> Column | None:
    folded = fold_words(header)
    if not folded:
        return None
    for column, pattern in _HEADER_WORDS:
        if pattern.search(folded):
            return column
    return None


def _map_header(texts: list[str]) -> dict[Column, int]:
    mapping: dict[Column, int] = {}
    for index, text in enumerate(texts):
        column = column_of(text)
        if column is not None and column not in mapping:
            mapping[column] = index
    title = mapping.get(Column.TITLE)
    if Column.NUMBER not in mapping and title and not texts[title - 1].strip():
        mapping[Column.NUMBER] = title - 1  # an unnamed first column left of the title
    return mapping


@dataclass
class Header:
    mapping: dict[Column, int]
    last_row: int  # index of the header's last row in the source


def find_header(rows: Iterator[Row]) -> tuple[Header | None, list[Row]]:
    """The header among the first rows, and the rows read past it (to be processed as data)."""
    seen: list[Row] = []
    for row in rows:
        seen.append(row)
        if len(seen) > HEADER_SEARCH_ROWS + 1:
            break
    for position, row in enumerate(seen[:HEADER_SEARCH_ROWS]):
        single = _map_header(row.values)
        if len(single) < 2:
            continue
        header, used = Header(single, row.index), 1
        if position + 1 < len(seen):
            below = seen[position + 1]
            double = _map_header(merged_header(row, below))
            if len(double) > len(single) and _looks_like_header(below, single):
                header, used = Header(double, below.index), 2
        return header, seen[position + used :]
    return None, []


def _looks_like_header(row: Row, mapping: dict[Column, int]) -> bool:
    number = mapping.get(Column.NUMBER)
    if number is not None and parse_mark(row.text(number)).kind in ("arabic", "roman", "letter"):
        return False
    return any(column_of(text) for text in row.values if text)
