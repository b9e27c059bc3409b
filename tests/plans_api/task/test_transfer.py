"""POST /plans/{id}/import and GET /plans/{id}/export: a plan's task table as a file."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from tests.factories import make_plan
from tests.plans_api.hostile import with_hidden_dtd
from tests.plans_api.import_slots import sent_while_every_slot_is_held
from tests.plans_api.plan.world import API, World, events, make_world, plan_in

HEADER = [
    "TT",
    "Nội dung",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm",
    "Thời gian thực hiện",
    "Ghi chú",
]
# Rows in the shape of the appendix of Kế hoạch 57/KH-UBND (Cần Thơ, 2023).
ROWS = [
    [
        "1",
        "Tổ chức tập huấn kỹ năng, nghiệp vụ cho đội ngũ CBCCVC làm công tác CCHC",
        "Sở Nội vụ",
        "Sở Tư pháp, Sở, ban, ngành TP",
        "Lớp tập huấn",
        "Hàng năm",
        "",
    ],
    [
        "2",
        "Xây dựng tài liệu bồi dưỡng về CCHC",
        "Sở Nội vụ",
        "Các cơ quan, đơn vị có liên quan",
        "Bộ tài liệu",
        "2023 - 2030",
        "",
    ],
    [
        "2.1",
        "Số hóa bài giảng",
        "Sở Tư pháp",
        "UBND cấp xã",
        "Bài giảng điện tử",
        "Quý II - IV",
        "",
    ],
]


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def upload(
    client,
    world: World,
    plan_id,
    content: bytes,
    name: str = "bang.xlsx",
    dry_run: bool = False,
    headers: dict[str, str] | None = None,
):
    return await client.post(
        f"{API}/plans/{plan_id}/import",
        headers=headers or world.admin(),
        files={"file": (name, content, XLSX_TYPE if name.endswith(".xlsx") else "text/csv")},
        data={"dry_run": "true" if dry_run else "false"},
    )


async def count(app, model) -> int:
    async with app.state.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def world(plans_app, plans_client) -> World:
    return await make_world(plans_app)


@pytest.fixture
async def plan(world: World):
    return await plan_in(world, issued_on=date(2023, 3, 17))


class TestImport:
    async def test_a_dtd_behind_a_comment_is_refused(self, plans_app, plans_client, world, plan):
        content = with_hidden_dtd(xlsx(ROWS), "xl/workbook.xml")
        response = await upload(plans_client, world, plan.id, content)

        assert response.status_code == 422, response.text
        assert response.json()["code"] == "file_unreadable"
        assert await count(plans_app, Task) == 0

    async def test_files_wait_for_a_parse_slot(self, plans_app, plans_client, world, plan):
        response = await sent_while_every_slot_is_held(
            plans_app, lambda: upload(plans_client, world, plan.id, xlsx(ROWS), dry_run=True)
        )
        assert response.status_code == 200, response.text
        assert response.json()["rows_read"] == 3

    async def test_xlsx_creates_the_tree_with_units_and_groups(
        self, plans_app, plans_client, world, plan
    ):
        response = await upload(plans_client, world, plan.id, xlsx(ROWS))

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["rows_read"], body["tasks_created"], body["errors"]) == (3, 3, [])
        tasks = (
            await plans_client.get(f"{API}/plans/{plan.id}/tasks", headers=world.admin())
        ).json()["items"]
        by_number = {t["number"]: t for t in tasks}
        assert by_number["2.1"]["parent_id"] == by_number["2"]["id"]
        assert by_number["1"]["lead_unit_ids"] == [str(world.noi_vu.id)]
        assert by_number["1"]["coordinating_unit_ids"] == [str(world.tu_phap.id)]
        assert by_number["1"]["coordinating_groups"] == ["province_departments"]
        assert by_number["1"]["recurrence"] == "annual"
        assert by_number["2.1"]["coordinating_groups"] == ["commune_committees"]
        assert by_number["1"]["coordinating_text"] == "Sở Tư pháp, Sở, ban, ngành TP"
        created = await events(plans_app, "task.created")
        assert sorted(e.data["number"] for e in created) == ["1", "2", "2.1"]
        assert {e.sequence for e in created} == {1}

    async def test_csv_dry_run_writes_nothing(self, plans_app, plans_client, world, plan):
        response = await upload(
            plans_client, world, plan.id, csv_bytes(ROWS), "bang.csv", dry_run=True
        )

        body = response.json()
        assert (response.status_code, body["rows_read"], body["tasks_created"]) == (200, 3, 0)
        assert [t["number"] for t in body["tasks"]] == ["1", "2", "2.1"]
        assert await count(plans_app, Task) == 0

    async def test_schedules_are_read_as_windows_lists_and_conditions(
        self, plans_app, plans_client, world, plan
    ):
        cells = ["2023 - 2030", "Quý II - IV", "Quý I\nQuý IV", "Hàng năm (nếu cần thiết)"]
        cells.append("2025 - 2023")  # kept from a file, flagged: a person looks at it
        rows = [
            [str(n), f"Nhiệm vụ {n}", "Sở Nội vụ", "", "", cell, ""]
            for n, cell in enumerate(cells, 1)
        ]
        response = await upload(plans_client, world, plan.id, csv_bytes(rows), "bang.csv")
        assert response.status_code == 200, response.text
        async with plans_app.state.sessionmaker() as session:
            tasks = {t.number: t for t in await session.scalars(select(Task))}
        assert tasks["1"].due_dates == [date(2030, 12, 31)]
        assert tasks["1"].schedule["window"] == {"from": "2023-01-01", "to": "2030-12-31"}
        assert tasks["2"].due_dates == [date(2023, 12, 31)]
        assert tasks["3"].due_dates == [date(2023, 3, 31), date(2023, 12, 31)]
        assert (tasks["4"].conditional, tasks["4"].next_due_on) == (True, None)
        assert tasks["5"].schedule_flagged and tasks["5"].schedule["reason"] == "reversed_range"
        assert tasks["5"].due_dates == []

    async def test_unknown_unit_is_a_row_error_and_nothing_is_written(
        self, plans_app, plans_client, world, plan
    ):
        rows = [*ROWS, ["3", "Kiểm tra", "Sở Không Tồn Tại", "", "", "2024", ""]]
        response = await upload(plans_client, world, plan.id, xlsx(rows))

        body = response.json()
        assert (response.status_code, body["code"]) == (422, "import_rows_invalid")
        assert body["errors"] == [
            {
                "row": 5,
                "column": "lead_text",
                "code": "unit_unknown",
                "message": body["errors"][0]["message"],
                "message_en": body["errors"][0]["message_en"],
            }
        ]
        assert "Sở Không Tồn Tại" in body["errors"][0]["message"]
        assert await count(plans_app, Task) == await count(plans_app, TaskUnit) == 0
        assert await count(plans_app, TaskUnitGroup) == 0

    async def test_a_field_check_is_a_row_error_in_both_languages(
        self, plans_app, plans_client, world, plan
    ):
        rows = [["1", "Nhiệm vụ", "Sở Nội vụ", "", "", "2024", "x" * 5001]]
        vi = await upload(plans_client, world, plan.id, xlsx(rows))
        [error] = vi.json()["errors"]
        assert (vi.status_code, error["column"], error["code"]) == (422, "note", "invalid_value")
        assert error["message"] == "Không được dài quá 5000 ký tự"
        assert error["message_en"] == "Must be at most 5000 characters long"
        assert await count(plans_app, Task) == 0

    async def test_units_of_another_province_do_not_match(self, plans_app, plans_client, world):
        """Ho Chi Minh City also has a Sở Nội vụ: a HCMC plan's cell names HCMC's."""
        plan = await make_plan(world.app, issuer=world.hcm)
        response = await upload(plans_client, world, plan.id, xlsx(ROWS[:1]))
        body = response.json()
        assert response.status_code == 422
        assert {e["column"] for e in body["errors"]} == {"coordinating_text"}  # Sở Tư pháp

    async def test_numbers_already_in_the_plan(self, plans_app, plans_client, world, plan):
        assert (await upload(plans_client, world, plan.id, xlsx(ROWS))).status_code == 200
        again = await upload(plans_client, world, plan.id, xlsx(ROWS))
        codes = {e["code"] for e in again.json()["errors"]}
        assert (again.status_code, codes) == (422, {"task_number_taken"})
        assert await count(plans_app, Task) == 3

    async def test_duplicate_numbers_in_the_file(self, plans_app, plans_client, world, plan):
        response = await upload(plans_client, world, plan.id, xlsx([*ROWS, ROWS[0]]))
        assert response.status_code == 422
        assert await count(plans_app, Task) == 0

    @pytest.mark.parametrize(
        ("content", "name", "code"),
        [
            (b"", "bang.xlsx", "file_empty"),
            (b"TT,Noi dung\n1,x\n", "bang.xlsx", "file_type_mismatch"),
            (
                bytes.fromhex("d0cf11e0a1b11ae1")
                + b"\0" * 512
                + "EncryptionInfo".encode("utf-16-le"),
                "bang.xlsx",
                "file_encrypted",
            ),
            (bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512, "bang.xlsx", "file_type_mismatch"),
        ],
    )
    async def test_bad_files(self, plans_app, plans_client, world, plan, content, name, code):
        response = await upload(plans_client, world, plan.id, content, name)
        status = 415 if code == "file_type_mismatch" else 422
        assert (response.status_code, response.json()["code"]) == (status, code)
        assert await count(plans_app, Task) == 0

    async def test_missing_columns(self, plans_app, plans_client, world, plan):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["Cơ quan chủ trì", "Ghi chú"])
        sheet.append(["Sở Nội vụ", ""])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = await upload(plans_client, world, plan.id, buffer.getvalue())
        assert response.status_code == 422
        assert await count(plans_app, Task) == 0

    async def test_only_plan_admins_import(self, plans_app, plans_client, world, plan):
        response = await upload(
            plans_client, world, plan.id, xlsx(ROWS), headers=world.officer(world.noi_vu)
        )
        assert response.status_code == 403


class TestExport:
    async def test_round_trip(self, plans_app, plans_client, world, plan):
        await upload(plans_client, world, plan.id, xlsx(ROWS))

        response = await plans_client.get(
            f"{API}/plans/{plan.id}/export?format=xlsx", headers=world.admin()
        )

        assert response.status_code == 200
        assert response.headers["content-type"] == XLSX_TYPE
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert "Xây dựng tài liệu bồi dưỡng về CCHC" in texts
        assert "Sở Tư pháp, Sở, ban, ngành TP" in texts
        assert "Quý II - IV" in texts

    async def test_formula_cells_are_not_formulas(self, plans_app, plans_client, world, plan):
        rows = [["1", '=HYPERLINK("http://evil")', "Sở Nội vụ", "", "", "2024", ""]]
        # From a CSV the cell is text; the export must keep it text.
        imported = await upload(plans_client, world, plan.id, csv_bytes(rows), "bang.csv")
        assert imported.status_code == 200, imported.text
        response = await plans_client.get(f"{API}/plans/{plan.id}/export", headers=world.admin())
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        cells = [c for row in sheet.iter_rows() for c in row if c.value]
        assert all(c.data_type != "f" for c in cells)
        assert any("HYPERLINK" in str(c.value) for c in cells)

    async def test_unknown_format(self, plans_client, world, plan):
        response = await plans_client.get(
            f"{API}/plans/{plan.id}/export?format=pdf", headers=world.admin()
        )
        assert response.status_code == 422
