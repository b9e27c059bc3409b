"""plans_api.tabular: the generic, database-free part of every table import."""

from __future__ import annotations

import io
import tracemalloc
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from plans_api.tabular import (
    CellError,
    Column,
    DuplicateColumns,
    Limits,
    MissingColumns,
    TooManyRows,
    cell_bool,
    cell_date,
    cell_text,
    detect_kind,
    fold,
    iter_raw_rows,
    read_records,
)
from shared.uploads import (
    FileEmpty,
    FileTooLarge,
    FileTooLargeUncompressed,
    FileUnreadable,
    UploadLimits,
)

COLUMNS = (
    Column("name", ("Họ và tên", "full_name"), required=True),
    Column("unit", ("Đơn vị", "unit"), required=True),
    Column("note", ("Ghi chú",)),
)


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def records(content: bytes, kind: str = "csv", limits: Limits | None = None):
    return read_records(io.BytesIO(content), kind, COLUMNS, limits or Limits())  # type: ignore[arg-type]


class TestCells:
    def test_fold(self):
        assert fold("Họ và tên (*)") == "ho va ten"
        assert fold("  ĐƠN   VỊ ") == "don vi"
        assert fold("Sở TT&TT") == "so tt tt"

    @pytest.mark.parametrize("value", ["Có", "có", "x", "X", "1", 1, 1.0, "yes", True, "TRUE"])
    def test_true(self, value):
        assert cell_bool(value) is True

    @pytest.mark.parametrize("value", ["Không", "khong", "0", 0, "no", False, "N"])
    def test_false(self, value):
        assert cell_bool(value) is False

    def test_empty_and_invalid_booleans(self):
        assert cell_bool(None) is None and cell_bool("  ") is None
        with pytest.raises(CellError) as error:
            cell_bool("có lẽ")
        assert error.value.code == "invalid_boolean"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("15/03/2021", date(2021, 3, 15)),
            ("5/3/2021", date(2021, 3, 5)),
            ("05-03-2021", date(2021, 3, 5)),
            ("2021-03-15", date(2021, 3, 15)),
            (datetime(2021, 3, 15, 0, 0), date(2021, 3, 15)),
            (date(2021, 3, 15), date(2021, 3, 15)),
            (44270, date(2021, 3, 15)),  # Excel serial number
            (None, None),
            ("", None),
        ],
    )
    def test_dates(self, value, expected):
        assert cell_date(value) == expected

    @pytest.mark.parametrize("value", ["31/02/2021", "2021-13-01", "hôm qua", "15/03/21"])
    def test_invalid_dates(self, value):
        with pytest.raises(CellError) as error:
            cell_date(value)
        assert error.value.code == "invalid_date"

    def test_text(self):
        assert cell_text(12345.0) == "12345"
        assert cell_text("  Nguyễn   Văn\tAn ") == "Nguyễn Văn An"
        decomposed = unicodedata.normalize("NFD", "Nguyễn")
        assert decomposed != "Nguyễn" and cell_text(decomposed) == "Nguyễn"
        assert cell_text("   ") is None


class TestHeader:
    def test_title_rows_and_column_numbers_are_skipped(self):
        content = xlsx(
            [
                ["UBND THÀNH PHỐ CẦN THƠ"],
                ["DANH SÁCH CÁN BỘ", None, "Ghi chú"],
                ["Họ và tên (*)", "ĐƠN VỊ", "Ghi chú", "Cột lạ"],
                ["(1)", "(2)", "(3)", "(4)"],
                ["An", "Sở Nội vụ", None, "x"],
            ]
        )
        header, rows = records(content, "xlsx")
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

    def test_quoted_cells_keep_new_lines_and_delimiters(self):
        content = 'Họ và tên;Đơn vị;Ghi chú\r\nAn;"Sở; Nội vụ";"dòng 1\ndòng 2"\r\n'.encode()
        _, rows = records(content)
        assert rows[0].values == {"name": "An", "unit": "Sở; Nội vụ", "note": "dòng 1\ndòng 2"}


class TestLimits:
    def test_size(self):
        with pytest.raises(FileTooLarge):
            detect_kind(io.BytesIO(b"a" * 101), "a.csv", Limits(upload=UploadLimits(max_bytes=100)))

    def test_empty(self):
        with pytest.raises(FileEmpty):
            detect_kind(io.BytesIO(b""), "a.csv", Limits())

    def test_rows_stop_at_the_limit(self):
        content = b"full_name,unit\n" + b"a,b\n" * 11
        assert len(records(content, limits=Limits(max_rows=11))[1]) == 11
        with pytest.raises(TooManyRows):
            records(content, limits=Limits(max_rows=10))

    def test_endless_blank_rows(self):
        content = b"full_name,unit\n" + b",\n" * 2000
        with pytest.raises(TooManyRows):
            records(content, limits=Limits(max_rows=100))

    def test_too_many_zip_entries(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "")
            archive.writestr("xl/workbook.xml", "")
            for n in range(20):
                archive.writestr(f"xl/media/{n}.bin", "")
        with pytest.raises(FileTooLargeUncompressed):
            detect_kind(buffer, "a.xlsx", Limits(upload=UploadLimits(max_zip_entries=10)))

    def test_a_corrupt_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>")
        kind = detect_kind(buffer, "a.xlsx", Limits())
        with pytest.raises(FileUnreadable):
            list(iter_raw_rows(buffer, kind, Limits()))

    def test_a_truncated_zip(self):
        content = xlsx([["Họ và tên", "Đơn vị"], ["A", "B"]])
        with pytest.raises(FileUnreadable):
            detect_kind(io.BytesIO(content[: len(content) // 2]), "a.xlsx", Limits())

    def test_rows_stream_in_bounded_memory(self):
        content = xlsx(
            [[f"Cán bộ {n}", f"CB{n:05d}", "Sở Nội vụ", "Chuyên viên"] for n in range(2000)]
        )
        tracemalloc.start()
        try:
            count = sum(1 for _ in iter_raw_rows(io.BytesIO(content), "xlsx", Limits()))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert count == 2000
        assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
