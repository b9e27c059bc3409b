"""shared.tables.sources: rows of XLSX sheets, CSV files and DOCX tables, in bounded memory."""

from __future__ import annotations

import csv
import io
import tracemalloc
from contextlib import closing
from datetime import datetime

import pytest

from shared.tables.sources import csv_rows, docx_tables, first_table, xlsx_sheets
from shared.uploads import DOCX, XLSX, FileEncoding, FileUnreadable
from tests.shared.tables.helpers import docx, rewrite, xlsx


class TestXlsx:
    def test_values_as_the_parser_gives_them(self):
        data = xlsx([["STT", "Ngày"], [1, datetime(2024, 3, 1)], [], ["2", None]])
        rows = list(first_table(io.BytesIO(data), XLSX, 10))
        assert [(r.index, r.values) for r in rows if not r.is_blank()] == [
            (1, ["STT", "Ngày"]),
            (2, [1, datetime(2024, 3, 1)]),
            (4, ["2"]),  # no trailing empty cells
        ]

    def test_every_sheet_by_title(self):
        data = xlsx([["a"]], ("Phụ lục", [["b"]]))
        with closing(xlsx_sheets(io.BytesIO(data), 10)) as sheets:
            found = [(title, [r.values for r in rows]) for title, rows in sheets]
        assert found == [("Sheet", [["a"]]), ("Phụ lục", [["b"]])]

    def test_columns_are_cut_at_the_limit(self):
        rows = list(first_table(io.BytesIO(xlsx([list(range(10))])), XLSX, 3))
        assert rows[0].values == [0, 1, 2]

    def test_forged_dimension_does_not_pad_rows(self):
        data = rewrite(
            xlsx([["STT", "Nội dung"], ["1", "A"]]),
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>'),
        )
        rows = list(first_table(io.BytesIO(data), XLSX, 16384))
        assert [len(r.values) for r in rows] == [2, 2]

    def test_a_damaged_sheet(self):
        data = rewrite(
            xlsx([["a"]]), "xl/worksheets/sheet1.xml", lambda _: b"<worksheet><sheetData>"
        )
        with pytest.raises(FileUnreadable):
            list(first_table(io.BytesIO(data), XLSX, 10))

    def test_rows_stream_in_bounded_memory(self):
        content = xlsx(
            [[f"Cán bộ {n}", f"CB{n:05d}", "Sở Nội vụ", "Chuyên viên"] for n in range(2000)]
        )
        tracemalloc.start()
        try:
            count = sum(1 for _ in first_table(io.BytesIO(content), XLSX, 100))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert count == 2000
        assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


class TestCsv:
    @pytest.mark.parametrize("delimiter", [",", ";", "\t"])
    def test_the_delimiter_used_most(self, delimiter):
        rows = [["STT", "Nội dung", "Ghi chú"], ["1", "Kiểm tra, rà soát; báo cáo", ""]]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(rows)
        found = list(csv_rows(io.BytesIO(buffer.getvalue().encode()), 10))
        assert [r.values for r in found] == rows

    def test_a_given_delimiter_a_bom_and_the_file_left_open(self):
        file = io.BytesIO("\ufeffa;b\n1;2\n".encode())
        assert [r.values for r in csv_rows(file, 10, ",")] == [["a;b"], ["1;2"]]
        assert not file.closed

    def test_not_utf8(self):
        with pytest.raises(FileEncoding):
            list(csv_rows(io.BytesIO("STT,Nôi dung\n".encode("latin-1")), 10))


class TestDocx:
    def test_spans_are_spread_over_the_grid(self):
        rows_in = [
            ["STT", "Nội dung", "Đơn vị", ""],
            ["1", "Rà soát", "Sở Tư pháp", ""],
            ["", "Kiểm tra", "", ""],
        ]
        data = docx(rows_in, merges=((0, 2, 0, 3), (1, 0, 2, 0), (1, 2, 2, 3)))
        with closing(docx_tables(io.BytesIO(data), 10)) as tables:
            [(name, rows)] = [(name, list(rows)) for name, rows in tables]
        assert name == "table 1"
        header, first, second = rows
        assert header.values == ["STT", "Nội dung", "Đơn vị", "Đơn vị"]
        assert (header.is_spread(3), header.text(3), header.text(2)) == (True, "", "Đơn vị")
        assert second.values == ["1", "Kiểm tra", "Sở Tư pháp", "Sở Tư pháp"]
        assert (second.is_continued(0), second.is_continued(1), second.is_continued(2)) == (
            True,
            False,
            True,
        )
        assert first.is_spread(3) and not first.is_continued(0)

    def test_first_table_of_a_document(self):
        data = docx([["STT", "Nội dung"], ["1", "A"]])
        assert [r.values for r in first_table(io.BytesIO(data), DOCX, 10)] == [
            ["STT", "Nội dung"],
            ["1", "A"],
        ]
