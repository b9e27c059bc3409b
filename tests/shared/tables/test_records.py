"""shared.tables.header and shared.tables.records: the header among the first rows, records."""

from __future__ import annotations

import io
from contextlib import closing

import pytest

from shared.tables.errors import DuplicateColumns, MissingColumns, TooManyRows
from shared.tables.header import Column, is_column_numbering, map_header, merged_header
from shared.tables.records import read_records
from shared.tables.sources import Row, first_table
from shared.uploads import CSV, XLSX, FileEmpty, Kind
from tests.shared.tables.helpers import xlsx

COLUMNS = (
    Column("name", ("Họ và tên", "full_name"), required=True),
    Column("unit", ("Đơn vị", "unit"), required=True),
    Column("note", ("Ghi chú",)),
)


def records(content: bytes, kind: Kind = CSV, max_rows: int = 20_000):
    with closing(first_table(io.BytesIO(content), kind, 100)) as rows:
        return read_records(rows, COLUMNS, max_rows)


class TestHeader:
    def test_title_rows_and_column_numbers_are_skipped(self):
        content = xlsx(
            [
                ["UBND THÀNH PHỐ CẦN THƠ"],
                ["DANH SÁCH CÁN BỘ", None, "Ghi chú"],
                ["Họ và tên (*)", "ĐƠN   VỊ", "Ghi chú", "Cột lạ"],
                ["(1)", "(2)", "(3)", "(4)"],
                ["An", "Sở Nội vụ", None, "x"],
            ]
        )
        header, rows = records(content, XLSX)
        assert header.titles == {"name": "Họ và tên (*)", "unit": "ĐƠN VỊ", "note": "Ghi chú"}
        assert [(r.row, r.values) for r in rows] == [
            (5, {"name": "An", "unit": "Sở Nội vụ", "note": None})
        ]

    def test_missing_columns_are_named(self):
        with pytest.raises(MissingColumns) as error:
            records(b"full_name,Ghi chu\nAn,x\n")
        assert error.value.extra["missing"] == ["Đơn vị"]

    def test_a_column_named_twice(self):
        with pytest.raises(DuplicateColumns):
            records("Họ và tên,Đơn vị,full_name\nAn,B,C\n".encode())

    def test_header_cells_are_folded(self):
        header = map_header(["HỌ VÀ TÊN:", "don vi", None, 3], COLUMNS)
        assert header.positions == {"name": 0, "unit": 1}

    def test_two_header_rows(self):
        top = Row(1, ["STT", "Đơn vị", "Đơn vị", "Ghi chú"], spread=[False, False, True, False])
        below = Row(2, ["", "Chủ trì", "Phối hợp", ""])
        assert merged_header(top, below) == ["STT", "Đơn vị Chủ trì", "Đơn vị Phối hợp", "Ghi chú"]

    @pytest.mark.parametrize(
        ("values", "numbering"),
        [
            (["(1)", "(2)", "(3)"], True),
            ([1, 2, None, 3], True),
            (["1", "Kiểm tra"], False),
            (["1", "3"], False),
            (["(1)"], False),
        ],
    )
    def test_a_row_numbering_the_columns(self, values, numbering):
        assert is_column_numbering(Row(2, values)) is numbering


class TestRecords:
    def test_quoted_cells_keep_new_lines_and_delimiters(self):
        content = 'Họ và tên;Đơn vị;Ghi chú\r\nAn;"Sở; Nội vụ";"dòng 1\ndòng 2"\r\n'.encode()
        _, rows = records(content)
        assert rows[0].values == {"name": "An", "unit": "Sở; Nội vụ", "note": "dòng 1\ndòng 2"}

    def test_rows_stop_at_the_limit(self):
        content = b"full_name,unit\n" + b"a,b\n" * 11
        assert len(records(content, max_rows=11)[1]) == 11
        with pytest.raises(TooManyRows) as raised:
            records(content, max_rows=10)
        assert raised.value.extra == {"max_rows": 10}

    def test_endless_blank_rows(self):
        content = b"full_name,unit\n" + b",\n" * 2000
        with pytest.raises(TooManyRows):
            records(content, max_rows=100)

    @pytest.mark.parametrize(
        "content", [b"full_name,unit\n", b"full_name,unit\n,\n", b"\xef\xbb\xbf\r\n\r\n"]
    )
    def test_no_data_rows(self, content):
        with pytest.raises(FileEmpty):
            records(content)
