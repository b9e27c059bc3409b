"""Header rows: which column of the file is which, by the words of its header.

Header cells are compared through :func:`shared.text.fold_words`, so ``Họ và tên (*)``,
``HỌ VÀ TÊN`` and ``ho va ten`` name one column. Forms often have title rows above the header,
a second header row below a cell spanning columns (``Đơn vị`` over ``Chủ trì | Phối hợp``) and a
row numbering the columns (``(1) (2) (3)``) under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.tables.errors import DuplicateColumns
from shared.tables.sources import Row
from shared.text import clean, fold_words

HEADER_SEARCH_ROWS = 20  # the header is among the first non-blank rows
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,3})\)?$")


@dataclass(frozen=True)
class Column:
    """A column an importer knows: its key and the header texts that name it (any language);
    the first alias names it in messages."""

    key: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass
class Header:
    """Where each known column is: key → position, and the header text as the file has it."""

    positions: dict[str, int] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)


def map_header(cells: Sequence[Any], columns: Sequence[Column]) -> Header:
    """The known columns a row names (unknown ones are ignored); a column named twice raises
    :class:`~shared.tables.errors.DuplicateColumns`."""
    by_alias = {fold_words(alias): column for column in columns for alias in column.aliases}
    header = Header()
    for position, cell in enumerate(cells):
        column = by_alias.get(fold_words(str(cell))) if cell is not None else None
        if column is None:
            continue
        if column.key in header.positions:
            raise DuplicateColumns(str(cell))
        header.positions[column.key] = position
        header.titles[column.key] = clean(str(cell))
    return header


def missing_columns(header: Header, columns: Sequence[Column]) -> list[str]:
    return [c.aliases[0] for c in columns if c.required and c.key not in header.positions]


def merged_header(top: Row, below: Row) -> list[str]:
    """Two header rows as one: a top cell spanning columns lends its words to each of them."""
    width = max(len(top.values), len(below.values))
    words, carried = [], ""
    for column in range(width):
        upper = top.text(column)
        if top.is_spread(column) or (not upper and carried and below.text(column)):
            upper = carried
        carried = upper
        lower = below.text(column) if not below.is_continued(column) else ""
        words.append(f"{upper} {lower}".strip())
    return words


def is_column_numbering(row: Row) -> bool:
    """A row numbering the columns under the header: ``(1) (2) (3)`` or ``1 2 3``."""
    filled = [clean(str(v)) for v in row.values if v is not None and str(v).strip()]
    if len(filled) < 2:
        return False
    numbers = [_COLUMN_NUMBER.match(text) for text in filled]
    return all(m and int(m.group(1)) == n for n, m in enumerate(numbers, start=1))
