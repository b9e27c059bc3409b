"""Reading task tables: the seeds' appendix tables as XLSX, CSV and DOCX, numbering and merged
cells, per-row errors, and every kind of bad file."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import date

import openpyxl
import pytest
from docx import Document

from plans_api.demo.seeds.can_tho_57 import TASKS as CAN_THO_TASKS
from plans_api.demo.seeds.hcm_2709 import TASKS as HCM_TASKS
from plans_api.demo.seeds.soc_trang_04 import TASKS as SOC_TRANG_TASKS
from plans_api.task.table_reader import read_task_table
from plans_api.task.table_rows import MAX_ROWS, TaskTable
from shared.tables.errors import TooManyRows
from shared.uploads import (
    FileEmpty,
    FileEncoding,
    FileEncrypted,
    FileTooLarge,
    FileTooLargeUncompressed,
    FileTypeError,
    FileTypeMismatch,
    FileUnreadable,
)
from tests.shared.tables.helpers import docx, rewrite

SOC_TRANG_HEADER = [
    "STT",
    "Nội dung",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Sản phẩm",
    "Thời gian thực hiện",
]


def xlsx(rows: Sequence[Sequence[object]], *, title_rows: int = 0) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for _ in range(title_rows):
        sheet.append(["PHỤ LỤC"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], *, delimiter: str = ",", bom: bool = False
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def seed_rows(tasks) -> list[list[str | None]]:
    return [
        [t.number, t.title, t.lead, t.coordinating, t.product, t.schedule, t.note] for t in tasks
    ]


def by_number(table: TaskTable) -> dict:
    return {row.number: row for row in table.rows}


def assert_same_as_seed(table: TaskTable, tasks) -> None:
    assert table.errors == []
    assert [r.number for r in table.rows] == [t.number for t in tasks]
    for row, task in zip(table.rows, tasks, strict=True):
        assert (row.title, row.lead_text, row.coordinating_text) == (
            task.title,
            task.lead,
            task.coordinating,
        )
        assert (row.product, row.schedule_text, row.note) == (
            task.product,
            task.schedule,
            task.note,
        )


class TestXlsx:
    def test_soc_trang_appendix(self):
        data = xlsx([SOC_TRANG_HEADER, *seed_rows(SOC_TRANG_TASKS)], title_rows=3)

        table = read_task_table(data, "phu-luc.xlsx")

        assert_same_as_seed(table, SOC_TRANG_TASKS)
        rows = by_number(table)
        assert (rows["2"].kind, rows["2"].parent_number) == ("task", None)
        assert (rows["2.3"].kind, rows["2.3"].parent_number) == ("activity", "2")
        assert rows["1"].row_number == 5  # three title rows, then the header

    def test_two_row_header_with_a_merged_cell(self):
        header = [["TT", "Nội dung công việc", "Đơn vị", None, "Sản phẩm", "Thời hạn"]]
        header.append([None, None, "Chủ trì", "Phối hợp", None, None])
        data = xlsx(
            [*header, ["1", "Kiểm tra công vụ", "Sở Nội vụ", "Sở Tư pháp", "Báo cáo", "Quý IV"]]
        )

        row = read_task_table(data, "a.xlsx").rows[0]

        assert (row.lead_text, row.coordinating_text, row.schedule_text) == (
            "Sở Nội vụ",
            "Sở Tư pháp",
            "Quý IV",
        )

    def test_three_level_framework(self):
        data = xlsx(
            [
                ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian"],
                ["I", "CẢI CÁCH THỂ CHẾ"],
                [
                    1,
                    "Rà soát văn bản quy phạm pháp luật",
                    "Sở Tư pháp",
                    "Các sở, ngành",
                    "Báo cáo",
                    "Quý IV",
                ],
                ["a)", "Lập danh mục văn bản", "Sở Tư pháp", None, "Danh mục", "Quý I"],
                ["b)", "Công bố kết quả rà soát", "Sở Tư pháp", None, "Quyết định", "Quý IV"],
                [2, "Kiểm tra công tác văn bản", "Sở Tư pháp"],
                ["-", "Kiểm tra tại 5 xã", "Sở Tư pháp"],
                ["-", "Tổng hợp kết quả", "Sở Tư pháp"],
                ["II.", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
                [1, "Kiểm soát thủ tục hành chính", "Văn phòng UBND tỉnh"],
            ]
        )

        table = read_task_table(data, "khung.xlsx")

        assert table.errors == []
        assert [(r.number, r.parent_number, r.kind, r.label) for r in table.rows] == [
            ("1", None, "objective", "I"),
            ("1.1", "1", "task", "1"),
            ("1.1.1", "1.1", "activity", "a)"),
            ("1.1.2", "1.1", "activity", "b)"),
            ("1.2", "1", "task", "2"),
            ("1.2.1", "1.2", "activity", "-"),
            ("1.2.2", "1.2", "activity", "-"),
            ("2", None, "objective", "II."),
            ("2.1", "2", "task", "1"),
        ]

    def test_objectives_with_dotted_task_numbers(self):
        data = xlsx(
            [
                ["STT", "Nội dung"],
                ["I", "CẢI CÁCH THỂ CHẾ"],
                ["1.1", "Rà soát văn bản"],
                ["1.2", "Kiểm tra văn bản"],
                ["1.2.1", "Kiểm tra tại các sở"],
                ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
                ["2.1", "Kiểm soát TTHC"],
            ]
        )

        table = read_task_table(data, "a.xlsx")

        assert [(r.number, r.parent_number) for r in table.rows] == [
            ("1", None),
            ("1.1", "1"),
            ("1.2", "1"),
            ("1.2.1", "1.2"),
            ("2", None),
            ("2.1", "2"),
        ]

    def test_numbers_written_in_the_content_cell(self):
        data = xlsx(
            [
                ["STT", "Nội dung", "Cơ quan chủ trì"],
                [None, "I. CẢI CÁCH THỂ CHẾ"],
                [None, "1. Rà soát văn bản", "Sở Tư pháp"],
                [None, "a) Lập danh mục", "Sở Tư pháp"],
                [None, "- Công bố danh mục", "Sở Tư pháp"],
            ]
        )

        table = read_task_table(data, "a.xlsx")

        assert [(r.number, r.kind, r.title) for r in table.rows] == [
            ("1", "objective", "CẢI CÁCH THỂ CHẾ"),
            ("1.1", "task", "Rà soát văn bản"),
            ("1.1.1", "activity", "Lập danh mục"),
            ("1.1.1.1", "activity", "- Công bố danh mục"),
        ]

    def test_objective_column_merged_down(self):
        # In XLSX a merged cell keeps its value in the first row only.
        data = xlsx(
            [
                ["Mục tiêu", "STT", "Nội dung", "Cơ quan chủ trì"],
                ["Nâng cao chất lượng đội ngũ", 1, "Bồi dưỡng kỹ năng", "Sở Nội vụ"],
                [None, 2, "Kiểm tra công vụ", "Sở Nội vụ"],
                ["Chuyển đổi số", 1, "Số hóa hồ sơ", "Sở Khoa học và Công nghệ"],
            ]
        )

        table = read_task_table(data, "a.xlsx")

        assert [(r.number, r.kind, r.title) for r in table.rows] == [
            ("1", "objective", "Nâng cao chất lượng đội ngũ"),
            ("1.1", "task", "Bồi dưỡng kỹ năng"),
            ("1.2", "task", "Kiểm tra công vụ"),
            ("2", "objective", "Chuyển đổi số"),
            ("2.1", "task", "Số hóa hồ sơ"),
        ]

    def test_numbers_typed_as_numbers_and_dates(self):
        data = xlsx(
            [
                ["STT", "Nội dung", "Thời gian thực hiện"],
                [2, "Bồi dưỡng CBCCVC", "2023 - 2030"],
                [2.1, "Xây dựng kế hoạch", date(2023, 6, 30)],
            ]
        )

        rows = read_task_table(data, "a.xlsx").rows

        assert [(r.number, r.schedule_text) for r in rows] == [
            ("2", "2023 - 2030"),
            ("2.1", "30/06/2023"),
        ]

    def test_english_header_column_index_row_and_repeated_header(self):
        data = xlsx(
            [
                ["No.", "Task", "Lead", "Coordinating", "Output", "Deadline", "Notes"],
                ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
                ["1", "Kiểm tra công vụ", "Sở Nội vụ", None, "Báo cáo", "Quý IV", "x"],
                ["No.", "Task", "Lead", "Coordinating", "Output", "Deadline", "Notes"],
                ["2", "Sơ kết", "Sở Nội vụ"],
            ]
        )

        table = read_task_table(data, "a.xlsx")

        assert table.errors == []
        assert [(r.number, r.note) for r in table.rows] == [("1", "x"), ("2", None)]

    def test_continuation_row_adds_to_the_task_above(self):
        data = xlsx(
            [
                SOC_TRANG_HEADER,
                ["1", "Kiểm tra công vụ", "Sở Nội vụ", "Sở Tư pháp", "Báo cáo", "2023 - 2030"],
                [None, None, None, "Công an tỉnh", "Kế hoạch", None],
            ]
        )

        row = read_task_table(data, "a.xlsx").rows[0]

        assert (row.coordinating_text, row.product) == (
            "Sở Tư pháp\nCông an tỉnh",
            "Báo cáo\nKế hoạch",
        )

    def test_the_first_sheet_with_a_table_is_read(self):
        workbook = openpyxl.Workbook()
        workbook.worksheets[0].append(["Ghi chú của người lập"])
        workbook.create_sheet("Phụ lục").append(SOC_TRANG_HEADER)
        workbook["Phụ lục"].append(["1", "Kiểm tra công vụ", "Sở Nội vụ"])
        buffer = io.BytesIO()
        workbook.save(buffer)

        table = read_task_table(buffer.getvalue(), "a.xlsx")

        assert (table.sheet, len(table.rows)) == ("Phụ lục", 1)


class TestRowErrors:
    def errors(self, rows: Sequence[Sequence[object]]) -> list[tuple]:
        table = read_task_table(xlsx(rows), "a.xlsx")
        return [(e.row, e.column, e.code) for e in table.errors]

    def test_duplicate_numbers(self):
        found = self.errors([SOC_TRANG_HEADER, ["1", "A", "Sở Nội vụ"], ["1", "B", "Sở Nội vụ"]])
        assert found == [(3, "STT", "duplicate_number")]

    def test_row_without_title(self):
        found = self.errors([SOC_TRANG_HEADER, ["1", None, "Sở Nội vụ"], ["2", "B", None]])
        assert found == [(2, "Nội dung", "missing_title")]

    def test_number_not_understood(self):
        table = read_task_table(xlsx([SOC_TRANG_HEADER, ["1a?", "A", "Sở Nội vụ"]]), "a.xlsx")
        assert [(e.row, e.code) for e in table.errors] == [(2, "invalid_number")]
        assert "1a?" in table.errors[0].message_vi

    def test_row_that_belongs_to_nothing(self):
        found = self.errors([SOC_TRANG_HEADER, ["-", "Tổ chức hội nghị"], ["a)", "Lập danh mục"]])
        assert found == [(2, "STT", "unplaced_row"), (3, "STT", "unplaced_row")]

    def test_missing_required_column(self):
        found = self.errors([["STT", "Đơn vị chủ trì", "Sản phẩm"], ["1", "Sở Nội vụ", "Báo cáo"]])
        assert found == [(1, "Nội dung", "missing_column")]

    def test_no_table(self):
        found = self.errors([["Kế hoạch cải cách hành chính năm 2024"], ["Không có bảng"]])
        assert found == [(None, None, "table_not_found")]

    def test_header_without_rows(self):
        assert self.errors([SOC_TRANG_HEADER]) == [(None, None, "no_rows")]

    def test_every_bad_row_is_reported(self):
        found = self.errors(
            [SOC_TRANG_HEADER, ["1", "A"], ["1", "B"], ["2", None], ["x-y", "C"], ["3", "D"]]
        )
        assert [code for _, _, code in found] == [
            "duplicate_number",
            "missing_title",
            "invalid_number",
        ]


class TestCsv:
    def test_semicolons_with_bom_and_multiline_cells(self):
        header = ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp"]
        header += ["Các hoạt động/sản phẩm", "Thời gian hoàn thành", "Ghi chú"]
        data = csv_bytes([header, *seed_rows(CAN_THO_TASKS)], delimiter=";", bom=True)

        table = read_task_table(data, "ke-hoach-57.csv")

        assert_same_as_seed(table, CAN_THO_TASKS)
        assert (table.rows[0].product or "").count("\n+ ") == 10

    @pytest.mark.parametrize("delimiter", [",", "\t"])
    def test_commas_and_tabs(self, delimiter):
        data = csv_bytes([SOC_TRANG_HEADER, *seed_rows(SOC_TRANG_TASKS)], delimiter=delimiter)
        assert_same_as_seed(read_task_table(data, "a.CSV"), SOC_TRANG_TASKS)

    def test_not_utf8(self):
        with pytest.raises(FileTypeMismatch):  # UTF-16 has NUL bytes: not text at all
            read_task_table("STT,Nội dung\n1,Kiểm tra\n".encode("utf-16-le"), "a.csv")
        with pytest.raises(FileEncoding) as raised:
            read_task_table("STT,Nôi dung\n1,Kiêm tra\n".encode("latin-1"), "a.csv")
        assert raised.value.code == "file_encoding"

    def test_binary_named_csv(self):
        with pytest.raises(FileTypeMismatch):
            read_task_table(xlsx([SOC_TRANG_HEADER]), "bang.csv")


class TestDocx:
    def test_ho_chi_minh_appendix_with_an_unnamed_number_column(self):
        header = ["", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm"]
        header.append("Thời gian thực hiện/ hoàn thành")
        cells = ("title", "lead", "coordinating", "product", "schedule")
        body = [[f"{t.number}.", *(getattr(t, c) or "" for c in cells)] for t in HCM_TASKS]

        table = read_task_table(docx([header, *body]), "2709.docx")

        assert_same_as_seed(table, HCM_TASKS)
        assert table.rows[0].label == "1."

    def test_objective_cell_spanning_several_rows(self):
        rows = [
            ["Mục tiêu", "STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
            ["Cải cách thể chế", "1", "Rà soát văn bản", "Sở Tư pháp", "Quý II"],
            ["", "2", "Kiểm tra văn bản", "Sở Tư pháp", "Quý III"],
            ["", "3", "Theo dõi thi hành pháp luật", "Sở Tư pháp", "Quý IV"],
            ["Cải cách thủ tục hành chính", "1", "Kiểm soát TTHC", "Văn phòng UBND tỉnh", "Quý I"],
            ["", "2", "Số hóa hồ sơ", "Sở Khoa học và Công nghệ", "Quý II - IV"],
        ]

        table = read_task_table(docx(rows, merges=((1, 0, 3, 0), (4, 0, 5, 0))), "khung.docx")

        assert table.errors == []
        assert [(r.number, r.parent_number, r.kind, r.title) for r in table.rows] == [
            ("1", None, "objective", "Cải cách thể chế"),
            ("1.1", "1", "task", "Rà soát văn bản"),
            ("1.2", "1", "task", "Kiểm tra văn bản"),
            ("1.3", "1", "task", "Theo dõi thi hành pháp luật"),
            ("2", None, "objective", "Cải cách thủ tục hành chính"),
            ("2.1", "2", "task", "Kiểm soát TTHC"),
            ("2.2", "2", "task", "Số hóa hồ sơ"),
        ]

    def test_objective_row_spanning_the_columns_counts_once(self):
        rows = [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp"],
            ["I", "CẢI CÁCH TỔ CHỨC BỘ MÁY", "", ""],
            ["1", "Rà soát chức năng, nhiệm vụ", "Sở Nội vụ", "Các sở, ngành"],
        ]

        table = read_task_table(docx(rows, merges=((1, 1, 1, 3),)), "a.docx")

        objective = table.rows[0]
        assert (objective.title, objective.lead_text, objective.coordinating_text) == (
            "CẢI CÁCH TỔ CHỨC BỘ MÁY",
            None,
            None,
        )

    def test_lead_cell_shared_by_two_tasks_and_a_task_over_two_rows(self):
        rows = [
            ["STT", "Nội dung", "Cơ quan chủ trì", "Sản phẩm"],
            ["1", "Kiểm tra công vụ", "Sở Nội vụ", "Kế hoạch"],
            ["2", "Tổ chức Hội nghị", "", "Hội nghị"],
            ["", "", "Sở Tư pháp", "Báo cáo"],
        ]
        # lead of 1 spans rows 1-2; task 2's number and title span rows 2-3
        merges = ((1, 2, 2, 2), (2, 0, 3, 0), (2, 1, 3, 1))

        table = read_task_table(docx(rows, merges), "a.docx")

        first, second = table.rows
        assert first.lead_text == (second.lead_text or "").split("\n")[0] == "Sở Nội vụ"
        assert (second.lead_text, second.product) == ("Sở Nội vụ\nSở Tư pháp", "Hội nghị\nBáo cáo")

    def test_number_spanning_rows_with_their_own_titles(self):
        rows = [
            ["STT", "Nội dung", "Cơ quan chủ trì"],
            ["1", "Tổ chức bồi dưỡng", "Sở Nội vụ"],
            ["", "- Lớp cấp tỉnh", "Sở Nội vụ"],
            ["", "- Lớp cấp xã", "UBND cấp xã"],
            ["2", "Sơ kết", "Sở Nội vụ"],
        ]

        table = read_task_table(docx(rows, merges=((1, 0, 3, 0),)), "a.docx")

        assert [(r.number, r.parent_number, r.title) for r in table.rows] == [
            ("1", None, "Tổ chức bồi dưỡng"),
            ("1.1", "1", "- Lớp cấp tỉnh"),
            ("1.2", "1", "- Lớp cấp xã"),
            ("2", None, "Sơ kết"),
        ]

    def test_two_row_header_with_spanning_cells(self):
        rows = [
            ["STT", "Nội dung", "Đơn vị", "", "Thời gian"],
            ["", "", "Chủ trì", "Phối hợp", ""],
            ["1", "Kiểm tra công vụ", "Sở Nội vụ", "Sở Tư pháp", "2023 - 2030"],
        ]
        merges = ((0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4))

        row = read_task_table(docx(rows, merges), "a.docx").rows[0]

        assert (row.lead_text, row.coordinating_text, row.schedule_text) == (
            "Sở Nội vụ",
            "Sở Tư pháp",
            "2023 - 2030",
        )

    def test_document_without_a_table(self):
        document = Document()
        document.add_paragraph("Kế hoạch không có phụ lục")
        buffer = io.BytesIO()
        document.save(buffer)
        table = read_task_table(buffer.getvalue(), "a.docx")
        assert [e.code for e in table.errors] == ["table_not_found"]


def _package(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


class TestBadFiles:
    def test_too_large(self):
        with pytest.raises(FileTooLarge) as raised:
            read_task_table(b"STT,Noi dung\n" + b"1,x\n" * 2_700_000, "a.csv")
        assert (raised.value.code, raised.value.status) == ("file_too_large", 413)

    @pytest.mark.parametrize("data", [b"", b" \r\n\t "])
    def test_empty(self, data):
        with pytest.raises(FileEmpty) as raised:
            read_task_table(data, "a.xlsx")
        assert raised.value.code == "file_empty"

    def test_unsupported_extension(self):
        with pytest.raises(FileTypeError) as raised:
            read_task_table(b"%PDF-1.7", "ke-hoach.pdf")
        assert (raised.value.code, raised.value.status) == ("unsupported_file_type", 415)

    def test_kind_from_the_content_when_the_name_has_none(self):
        data = xlsx([SOC_TRANG_HEADER, ["1", "A", "Sở Nội vụ"]])
        assert len(read_task_table(data, "blob").rows) == 1

    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (b"STT,Noi dung\n1,x\n", "a.xlsx"),  # text named xlsx
            (None, "a.docx"),  # a workbook named docx
            (None, "a.xlsx-as-docx"),
        ],
    )
    def test_content_not_matching_the_extension(self, data, name):
        if data is None:
            data = xlsx([SOC_TRANG_HEADER])
        if name == "a.xlsx-as-docx":
            data, name = docx([["STT", "Nội dung"]]), "a.xlsx"
        with pytest.raises(FileTypeMismatch) as raised:
            read_task_table(data, name)
        assert raised.value.code == "file_type_mismatch"

    def test_zip_without_office_parts(self):
        with pytest.raises(FileTypeMismatch):
            read_task_table(_package({"readme.txt": b"hello"}), "a.xlsx")

    def test_password_protected(self):
        # An encrypted OOXML file is an OLE compound file with an EncryptionInfo stream.
        ole = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
        encrypted = ole + "EncryptionInfo".encode("utf-16-le") + bytes(64)
        with pytest.raises(FileEncrypted) as raised:
            read_task_table(encrypted, "a.xlsx")
        assert raised.value.code == "file_encrypted"
        with pytest.raises(FileTypeMismatch):  # a legacy .xls renamed
            read_task_table(ole + "Workbook".encode("utf-16-le"), "a.xlsx")

    def test_zip_bomb_by_ratio(self):
        bomb = _package(
            {
                "[Content_Types].xml": b"<Types/>",
                "xl/workbook.xml": b"<workbook/>",
                "xl/worksheets/sheet1.xml": bytes(8 * 1024 * 1024),
            }
        )
        assert len(bomb) < 100_000
        with pytest.raises(FileTooLargeUncompressed) as raised:
            read_task_table(bomb, "a.xlsx")
        assert raised.value.code == "file_too_large_uncompressed"

    def test_zip_bomb_by_total_size(self):
        # Many parts, each compressing modestly, adding up past the limit.
        chunk = bytes(range(256)) * 4096 * 4  # 4 MB that barely compresses
        parts = {f"word/media/image{n}.bin": chunk for n in range(17)}
        bomb = _package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", **parts})
        with pytest.raises(FileTooLargeUncompressed):
            read_task_table(bomb, "a.docx")

    def test_corrupt_package(self):
        data = xlsx([SOC_TRANG_HEADER, ["1", "A"]])
        with pytest.raises(FileUnreadable) as raised:
            read_task_table(data[: len(data) // 2], "a.xlsx")
        assert raised.value.code == "file_unreadable"

    def test_broken_workbook_inside_a_good_package(self):
        data = rewrite(xlsx([SOC_TRANG_HEADER]), "xl/workbook.xml", lambda _: b"<not xml")
        with pytest.raises(FileUnreadable):
            read_task_table(data, "a.xlsx")

    @pytest.mark.parametrize(
        "doctype",
        [
            b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        ],
        ids=["external_entity", "entity_expansion"],
    )
    def test_xml_with_a_dtd_is_refused(self, doctype):
        def inject(xml: bytes) -> bytes:
            head, _, rest = xml.partition(b"?>")
            return head + b"?>" + doctype + rest

        data = rewrite(docx([["STT", "Nội dung"], ["1", "A"]]), "word/document.xml", inject)
        with pytest.raises(FileUnreadable):
            read_task_table(data, "a.docx")

    def test_too_many_rows_csv(self):
        rows = [SOC_TRANG_HEADER] + [[str(n), f"Nhiệm vụ {n}"] for n in range(1, MAX_ROWS + 2)]
        with pytest.raises(TooManyRows) as raised:
            read_task_table(csv_bytes(rows), "a.csv")
        assert raised.value.code == "too_many_rows"


def _big_workbook(count: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(SOC_TRANG_HEADER)
    for n in range(1, count + 1):
        sheet.append([n, f"Nhiệm vụ số {n}", "Sở Nội vụ", "Các cơ quan, đơn vị có liên quan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class TestLimits:
    def test_ten_thousand_rows_in_bounded_memory(self):
        data = _big_workbook(MAX_ROWS)
        tracemalloc.start()
        try:
            table = read_task_table(data, "lon.xlsx")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert (len(table.rows), table.errors) == (MAX_ROWS, [])
        assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"

    def test_one_row_more_is_refused_early(self):
        with pytest.raises(TooManyRows):
            read_task_table(_big_workbook(MAX_ROWS + 1), "lon.xlsx")

    def test_forged_dimension_does_not_pad_rows(self):
        data = rewrite(
            xlsx([SOC_TRANG_HEADER, ["1", "A", "Sở Nội vụ"]]),
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace(
                b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:XFD1048576"/>'
            ),
        )
        assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        assert [r.title for r in read_task_table(data, "a.xlsx").rows] == ["A"]
