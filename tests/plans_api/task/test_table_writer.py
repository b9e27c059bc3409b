"""The exported workbook, read back with openpyxl: layout, print setup, formula safety, and an
export that imports back unchanged."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from plans_api.demo.seeds.soc_trang_04 import TASKS as SOC_TRANG_TASKS
from plans_api.task.table_reader import read_task_table
from plans_api.task.table_rows import TaskRow
from plans_api.task.table_writer import HEADER_ROW, write_task_table_xlsx
from shared.tables.formulas import safe_text

HEADER = {
    "code": "04/ĐA-UBND",
    "kind": "de_an",
    "title": "Nâng cao năng lực đội ngũ cán bộ, công chức, viên chức thực hiện công tác cải cách "
    "hành chính tỉnh Sóc Trăng giai đoạn 2022 - 2030",
    "issued_on": date(2022, 12, 30),
    "issuer": "Ủy ban nhân dân tỉnh Sóc Trăng",
}


def seed_rows() -> list[TaskRow]:
    return [
        TaskRow(
            n,
            t.number,
            t.number.rpartition(".")[0] or None,
            "activity" if "." in t.number else "task",
            t.title,
            t.lead,
            t.coordinating,
            t.product,
            t.schedule,
            t.note,
        )
        for n, t in enumerate(SOC_TRANG_TASKS)
    ]


FRAMEWORK = [
    TaskRow(0, "2", None, "objective", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
    TaskRow(0, "1", None, "objective", "CẢI CÁCH THỂ CHẾ"),
    TaskRow(0, "1.1", "1", "task", "Rà soát văn bản", "Sở Tư pháp", None, None, "Quý II"),
    TaskRow(0, "1.1.1", "1.1", "activity", "- Lập danh mục văn bản", "Sở Tư pháp"),
    TaskRow(0, "1.10", "1", "task", "Theo dõi thi hành pháp luật", "Sở Tư pháp"),
    TaskRow(0, "1.2", "1", "task", "Kiểm tra văn bản", "Sở Tư pháp"),
    TaskRow(0, "2.1", "2", "task", "Kiểm soát TTHC", "Văn phòng UBND tỉnh"),
]


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


class TestLayout:
    def test_title_rows_and_header(self):
        sheet = sheet_of(write_task_table_xlsx(HEADER, seed_rows()))

        assert sheet["A1"].value == "PHỤ LỤC"
        assert sheet["A2"].value.startswith("NHIỆM VỤ THỰC HIỆN ĐỀ ÁN NÂNG CAO NĂNG LỰC")
        assert sheet["A3"].value == (
            "(Kèm theo Đề án số 04/ĐA-UBND ngày 30 tháng 12 năm 2022 của Ủy ban nhân dân tỉnh "
            "Sóc Trăng)"
        )
        assert [c.value for c in sheet[HEADER_ROW]] == [
            "STT",
            "Nội dung",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Sản phẩm",
            "Thời gian thực hiện",
            "Ghi chú",
        ]
        assert all(c.font.b for c in sheet[HEADER_ROW])
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"

    def test_rows_wrapped_with_widths(self):
        sheet = sheet_of(write_task_table_xlsx(HEADER, seed_rows()))
        first = sheet[HEADER_ROW + 1]
        assert [c.value for c in first[:2]] == ["1", SOC_TRANG_TASKS[0].title]
        assert first[1].alignment.wrap_text
        assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
        assert sheet.max_row == HEADER_ROW + len(SOC_TRANG_TASKS)

    def test_print_setup(self):
        sheet = sheet_of(write_task_table_xlsx(HEADER, seed_rows()))
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"

    def test_objectives_bold_merged_and_roman_rows_sorted(self):
        sheet = sheet_of(write_task_table_xlsx({"title": "Kế hoạch CCHC năm 2024"}, FRAMEWORK))
        body = [(row[0].value, row[1].value) for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
        assert body == [
            ("I", "CẢI CÁCH THỂ CHẾ"),
            ("1", "Rà soát văn bản"),
            ("1.1", "- Lập danh mục văn bản"),
            ("2", "Kiểm tra văn bản"),
            ("10", "Theo dõi thi hành pháp luật"),
            ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
            ("1", "Kiểm soát TTHC"),
        ]
        objective = HEADER_ROW + 1
        assert f"B{objective}:G{objective}" in {str(r) for r in sheet.merged_cells.ranges}
        assert sheet.cell(objective, 2).font.b and not sheet.cell(objective + 1, 2).font.b
        assert sheet["A2"].value == "NHIỆM VỤ THỰC HIỆN KẾ HOẠCH CCHC NĂM 2024"
        assert sheet["A3"].value == "(Kèm theo Kế hoạch)"

    def test_rows_as_mappings(self):
        rows = [{"number": "1", "kind": "task", "title": "Kiểm tra công vụ", "note": "x"}]
        sheet = sheet_of(write_task_table_xlsx({"title": "T", "issued_on": "2023-03-17"}, rows))
        assert [c.value for c in sheet[HEADER_ROW + 1]][:2] == ["1", "Kiểm tra công vụ"]
        assert sheet[HEADER_ROW + 1][6].value == "x"
        assert "ngày 17 tháng 3 năm 2023" in sheet["A3"].value


class TestFormulaSafety:
    @pytest.mark.parametrize(
        "text",
        [
            '=HYPERLINK("http://x","y")',
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\r=1+1",
            "=cmd|' /C calc'!A0",
        ],
    )
    def test_dangerous_cells_are_strings_with_a_quote(self, text):
        row = TaskRow(0, "1", None, "task", text, lead_text=text, product=text)
        sheet = sheet_of(write_task_table_xlsx({"title": "T"}, [row]))
        for cell in sheet[HEADER_ROW + 1][1:5:3]:  # title and product
            assert cell.data_type == "s"
            assert cell.value == "'" + text

    @pytest.mark.parametrize("text", ["- Tổ chức hội nghị", "-", "Quý II - IV", "2023 - 2030"])
    def test_readable_text_is_left_alone(self, text):
        assert safe_text(text) == text

    def test_no_formula_in_the_package(self):
        row = TaskRow(0, "1", None, "task", "=1+1", product="@A1")
        data = write_task_table_xlsx({"title": "=T"}, [row])
        sheet = sheet_of(data)
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


class TestRoundTrip:
    def test_seed_table_imports_back(self):
        rows = seed_rows()
        table = read_task_table(write_task_table_xlsx(HEADER, rows), "export.xlsx")
        assert table.errors == []
        fields = ["number", "parent_number", "kind", "title", "lead_text", "coordinating_text"]
        fields += ["product", "schedule_text", "note"]
        assert [[getattr(r, f) for f in fields] for r in table.rows] == [
            [getattr(r, f) for f in fields] for r in rows
        ]

    def test_framework_and_dangerous_text_import_back(self):
        rows = [*FRAMEWORK, TaskRow(0, "2.2", "2", "task", "=SUM(1)", product="+x")]
        table = read_task_table(write_task_table_xlsx({"title": "T"}, rows), "export.xlsx")
        assert table.errors == []
        expected = sorted(rows, key=lambda r: [int(p) for p in r.number.split(".")])
        assert [(r.number, r.kind, r.title, r.product) for r in table.rows] == [
            (r.number, r.kind, r.title, r.product) for r in expected
        ]
