from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from plans_api.official import importer
from plans_api.official.models import Official, OfficialVersion
from plans_api.outbox import OutboxEvent
from shared.uploads import CFB_MAGIC, UploadLimits
from tests.factories import bearer, make_official, make_unit, token_for
from tests.plans_api.hostile import with_hidden_dtd
from tests.plans_api.import_slots import sent_while_every_slot_is_held

IMPORT = "/api/plans/v1/officials/import"
VI_HEADER = [
    "STT",
    "Họ và tên",
    "Mã cán bộ",
    "Đơn vị",
    "Chức vụ",
    "Lãnh đạo",
    "Vai trò CCHC",
    "Một cửa",
    "Trình độ",
    "Làm CCHC từ",
    "Chuyên gia",
    "Nguồn lãnh đạo",
]
EN_HEADER = ["full_name", "employee_code", "unit", "cchc_role", "is_leader", "cchc_since"]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cán bộ")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


async def upload(client, app, content: bytes, filename: str, *, headers=None, **form):
    headers = headers or bearer(token_for(app, roles=["reform_admin"]))
    data = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in form.items()}
    return await client.post(
        IMPORT, headers=headers, files={"file": (filename, content)}, data=data
    )


async def table_counts(app) -> tuple[int, int, int]:
    async with app.state.sessionmaker() as session:
        officials = await session.scalar(select(func.count()).select_from(Official))
        versions = await session.scalar(select(func.count()).select_from(OfficialVersion))
        events = await session.scalar(select(func.count()).select_from(OutboxEvent))
    return officials, versions, events


@pytest.fixture
async def units(plans_app, plans_client):
    province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province", code="92")
    home = await make_unit(plans_app, name="Sở Nội vụ", parent=province, code="000.00.01.H13")
    justice = await make_unit(plans_app, name="Sở Tư pháp", parent=province, code="STP")
    return {"province": province, "home": home, "justice": justice}


def vi_row(n: int, name: str, code: str | None, unit: str, **overrides) -> list:
    row = {
        "stt": n,
        "name": name,
        "code": code,
        "unit": unit,
        "position": "Chuyên viên",
        "leader": "Không",
        "role": "Kiêm nhiệm",
        "one_stop": "x",
        "education": "Đại học",
        "since": "15/03/2021",
        "expert": 0,
        "source": "Không",
    }
    row.update(overrides)
    return list(row.values())


class TestValidFiles:
    async def test_xlsx_with_vietnamese_headers(self, plans_app, plans_client, units):
        content = xlsx(
            [
                ["DANH SÁCH CÁN BỘ LÀM CÔNG TÁC CCHC"],  # a title row above the header
                [],
                VI_HEADER,
                vi_row(1, "Nguyễn Văn An", "NV001", "so noi vu", leader="Có", role="Chuyên trách"),
                vi_row(2, "Trần Thị Bình", None, "STP", since=datetime(2020, 1, 2), expert=True),
                vi_row(3, "  Lê   Văn Cường ", "NV003", "Sở Tư Pháp", since="2019-07-01"),
            ]
        )
        response = await upload(plans_client, plans_app, content, "can-bo.xlsx")

        assert response.status_code == 200, response.text
        assert response.json() == {
            "dry_run": False,
            "rows_read": 3,
            "created": 3,
            "updated": 0,
            "errors": [],
        }
        async with plans_app.state.sessionmaker() as session:
            rows = (await session.scalars(select(Official).order_by(Official.full_name))).all()
        by_name = {o.full_name: o for o in rows}
        assert set(by_name) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"}
        an = by_name["Nguyễn Văn An"]
        assert (an.unit_id, an.is_leader, an.cchc_role) == (units["home"].id, True, "dedicated")
        assert an.one_stop_shop and an.cchc_since == date(2021, 3, 15)
        binh = by_name["Trần Thị Bình"]
        assert binh.unit_id == units["justice"].id and binh.expert_pool
        assert binh.cchc_since == date(2020, 1, 2) and binh.employee_code is None
        assert by_name["Lê Văn Cường"].cchc_since == date(2019, 7, 1)
        assert await table_counts(plans_app) == (3, 3, 3)

    @pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", False)])
    async def test_csv_with_english_headers(self, plans_app, plans_client, units, delimiter, bom):
        content = csv_bytes(
            [
                EN_HEADER,
                ["Phạm Thị Dung", "NV010", "92", "dedicated", "yes", "2022-01-01"],
                ["Hoàng Văn Em", "NV011", "Sở Nội vụ", "none", "no", ""],
            ],
            delimiter=delimiter,
            bom=bom,
        )
        response = await upload(plans_client, plans_app, content, "officials.csv")
        assert response.status_code == 200, response.text
        assert (response.json()["created"], response.json()["rows_read"]) == (2, 2)
        async with plans_app.state.sessionmaker() as session:
            dung = await session.scalar(select(Official).where(Official.employee_code == "NV010"))
        assert dung is not None
        assert (dung.unit_id, dung.is_leader) == (units["province"].id, True)

    async def test_existing_code_updates_with_a_new_version(self, plans_app, plans_client, units):
        existing = await make_official(
            plans_app, unit=units["home"], employee_code="NV001", full_name="Nguyễn Văn An"
        )
        await make_official(
            plans_app, unit=units["home"], employee_code="NV002", full_name="Không đổi"
        )
        content = csv_bytes(
            [
                ["Họ và tên", "Mã cán bộ", "Đơn vị", "Vai trò CCHC"],
                ["Nguyễn Văn An", "NV001", "Sở Tư pháp", "Chuyên trách"],
                ["Không đổi", "NV002", "Sở Nội vụ", ""],
                ["Người mới", "NV003", "Sở Nội vụ", "Không"],
            ]
        )
        response = await upload(
            plans_client, plans_app, content, "a.csv", effective_on="2025-03-01"
        )

        assert response.status_code == 200, response.text
        assert (response.json()["created"], response.json()["updated"]) == (1, 1)
        async with plans_app.state.sessionmaker() as session:
            an = await session.get(Official, existing.id)
            versions = (
                await session.scalars(
                    select(OfficialVersion)
                    .where(OfficialVersion.official_id == existing.id)
                    .order_by(OfficialVersion.valid_from)
                )
            ).all()
            events = (
                await session.scalars(
                    select(OutboxEvent).where(OutboxEvent.aggregate_id == existing.id)
                )
            ).all()
        assert an is not None
        assert (an.unit_id, an.cchc_role, an.version) == (units["justice"].id, "dedicated", 2)
        assert [(v.valid_from, v.valid_to, v.unit_id) for v in versions] == [
            (date(2024, 1, 1), date(2025, 3, 1), units["home"].id),
            (date(2025, 3, 1), None, units["justice"].id),
        ]
        assert [(e.type, e.sequence, e.data["cchc_role"]) for e in events] == [
            ("official.updated", 1, "dedicated")
        ]
        counts = await plans_client.get(
            "/api/plans/v1/officials/counts",
            headers=bearer(token_for(plans_app, roles=["viewer"])),
            params={"unit_id": str(units["justice"].id), "as_of": "2025-03-01"},
        )
        assert counts.json()["groups"]["dedicated"] == 1

    async def test_a_dtd_behind_a_comment_is_refused(self, plans_app, plans_client, units):
        table = xlsx([["Họ và tên", "Đơn vị"], ["A", "Sở Nội vụ"]])
        content = with_hidden_dtd(table, "xl/workbook.xml")
        response = await upload(plans_client, plans_app, content, "a.xlsx")

        assert response.status_code == 422, response.text
        assert response.json()["code"] == "file_unreadable"
        assert await table_counts(plans_app) == (0, 0, 0)

    async def test_files_wait_for_a_parse_slot(self, plans_app, plans_client, units):
        content = csv_bytes([EN_HEADER, ["A", "X1", "STP", "none", "no", ""]])
        response = await sent_while_every_slot_is_held(
            plans_app, lambda: upload(plans_client, plans_app, content, "a.csv", dry_run=True)
        )
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 1

    async def test_dry_run_writes_nothing(self, plans_app, plans_client, units):
        content = csv_bytes([EN_HEADER, ["A", "X1", "STP", "none", "no", ""]])
        response = await upload(plans_client, plans_app, content, "a.csv", dry_run=True)
        assert response.status_code == 200
        assert response.json()["dry_run"] is True and response.json()["created"] == 1
        assert await table_counts(plans_app) == (0, 0, 0)

    async def test_names_matched_within_one_province(self, plans_app, plans_client, units):
        other = await make_unit(plans_app, name="Tỉnh Hậu Giang", level="province", code="93")
        await make_unit(plans_app, name="Sở Nội vụ", parent=other, code="SNV-HG")
        content = csv_bytes([["Họ và tên", "Đơn vị"], ["A", "Sở Nội vụ"]])
        everywhere = await upload(plans_client, plans_app, content, "a.csv")
        in_can_tho = await upload(
            plans_client, plans_app, content, "a.csv", unit_id=units["province"].id
        )
        assert everywhere.json()["errors"][0]["code"] == "ambiguous_unit"
        assert in_can_tho.status_code == 200, in_can_tho.text
        async with plans_app.state.sessionmaker() as session:
            official = await session.scalar(select(Official))
        assert official is not None and official.unit_id == units["home"].id

    async def test_unit_officer_imports_into_their_units(self, plans_app, plans_client, units):
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=units["home"].id))
        await make_official(plans_app, unit=units["justice"], employee_code="J1")
        content = csv_bytes(
            [
                ["Họ và tên", "Mã cán bộ", "Đơn vị"],
                ["Được", "H1", "Sở Nội vụ"],
                ["Không được", "H2", "Sở Tư pháp"],
                ["Của sở khác", "J1", "Sở Nội vụ"],
            ]
        )
        response = await upload(plans_client, plans_app, content, "a.csv", headers=officer)
        assert response.status_code == 422
        errors = [(e["row"], e["code"]) for e in response.json()["errors"]]
        assert errors == [(3, "unknown_unit"), (4, "invalid")]  # J1's unit is not revealed
        assert "ngoài phạm vi" not in response.text and "outside" not in response.text

    async def test_an_admin_learns_a_code_is_outside_the_chosen_units(
        self, plans_app, plans_client, units
    ):
        await make_official(plans_app, unit=units["justice"], employee_code="J1")
        content = csv_bytes(
            [["Họ và tên", "Mã cán bộ", "Đơn vị"], ["Của sở khác", "J1", "Sở Nội vụ"]]
        )
        response = await upload(plans_client, plans_app, content, "a.csv", unit_id=units["home"].id)
        assert response.status_code == 422
        assert [(e["row"], e["code"]) for e in response.json()["errors"]] == [(2, "out_of_scope")]


class TestRowErrors:
    async def test_one_bad_row_writes_nothing(self, plans_app, plans_client, units):
        content = xlsx(
            [
                VI_HEADER,
                vi_row(1, "Nguyễn Văn An", "NV001", "Sở Nội vụ"),
                vi_row(2, "Trần Thị Bình", "NV002", "Sở Nội vụ", leader="có lẽ"),
                vi_row(
                    3, "Lê Văn C", "NV003", "Sở Nội vụ", role="Bán thời gian", since="32/13/2020"
                ),
            ]
        )
        response = await upload(plans_client, plans_app, content, "a.xlsx")

        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "import_rows_invalid"
        assert body["rows_read"] == 3
        assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [
            (3, "Lãnh đạo", "invalid_boolean"),
            (4, "Vai trò CCHC", "invalid_role"),
            (4, "Làm CCHC từ", "invalid_date"),
        ]
        assert await table_counts(plans_app) == (0, 0, 0)

    async def test_messages_follow_the_language(self, plans_app, plans_client, units):
        content = csv_bytes([["Họ và tên", "Đơn vị"], ["A", "Sở Không Có"]])
        headers = {**bearer(token_for(plans_app, roles=["reform_admin"])), "Accept-Language": "en"}
        response = await upload(plans_client, plans_app, content, "a.csv", headers=headers)
        error = response.json()["errors"][0]
        assert error["code"] == "unknown_unit" and "No unit" in error["message"]

    async def test_field_checks_follow_the_language(self, plans_app, plans_client, units):
        content = csv_bytes([["Họ và tên", "Đơn vị", "Email"], ["A", "Sở Nội vụ", "không-phải"]])
        headers = bearer(token_for(plans_app, roles=["reform_admin"]))
        vi = await upload(plans_client, plans_app, content, "a.csv", headers=headers)
        en_headers = {**headers, "Accept-Language": "en"}
        en = await upload(plans_client, plans_app, content, "a.csv", headers=en_headers)
        [vi_error], [en_error] = vi.json()["errors"], en.json()["errors"]
        assert (vi_error["column"], vi_error["code"]) == ("Email", "invalid")
        assert vi_error["message"] == "Không phải địa chỉ thư điện tử"
        assert en_error["message"] == "not an e-mail address"
        assert await table_counts(plans_app) == (0, 0, 0)

    async def test_duplicate_codes_in_the_file(self, plans_app, plans_client, units):
        content = csv_bytes(
            [
                ["Họ và tên", "Mã cán bộ", "Đơn vị"],
                ["A", "NV1", "Sở Nội vụ"],
                ["B", "NV2", "Sở Nội vụ"],
                ["C", "NV1", "Sở Tư pháp"],
            ]
        )
        response = await upload(plans_client, plans_app, content, "a.csv")
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert (error["row"], error["column"], error["code"]) == (4, "Mã cán bộ", "duplicate_code")
        assert "2" in error["message"]
        assert await table_counts(plans_app) == (0, 0, 0)

    async def test_unknown_ambiguous_and_missing_units(self, plans_app, plans_client, units):
        await make_unit(plans_app, name="Phường 1", level="commune", parent=units["province"])
        await make_unit(plans_app, name="Phường 1", level="commune", parent=units["home"])
        content = csv_bytes(
            [
                ["Họ và tên", "Đơn vị"],
                ["A", "Sở Du lịch"],
                ["B", "phuong 1"],
                ["C", ""],
                ["", "Sở Nội vụ"],
            ]
        )
        response = await upload(plans_client, plans_app, content, "a.csv")
        assert [(e["row"], e["column"], e["code"]) for e in response.json()["errors"]] == [
            (2, "Đơn vị", "unknown_unit"),
            (3, "Đơn vị", "ambiguous_unit"),
            (4, "Đơn vị", "required"),
            (5, "Họ và tên", "required"),
        ]

    async def test_change_before_the_current_version_is_a_row_error(
        self, plans_app, plans_client, units
    ):
        await make_official(
            plans_app, unit=units["home"], employee_code="NV1", valid_from=date(2025, 5, 1)
        )
        content = csv_bytes([["Họ và tên", "Mã cán bộ", "Đơn vị"], ["A", "NV1", "Sở Tư pháp"]])
        response = await upload(
            plans_client, plans_app, content, "a.csv", effective_on="2025-01-01"
        )
        [error] = response.json()["errors"]
        assert (error["row"], error["code"]) == (2, "effective_before_current_version")


class TestBadFiles:
    async def test_empty_file(self, plans_app, plans_client, units):
        response = await upload(plans_client, plans_app, b"", "a.xlsx")
        assert (response.status_code, response.json()["code"]) == (422, "file_empty")

    @pytest.mark.parametrize(
        ("content", "name"),
        [
            (csv_bytes([["Họ và tên", "Đơn vị"]]), "a.csv"),
            (xlsx([["Họ và tên", "Đơn vị"], [None, None]]), "a.xlsx"),
            (b"\xef\xbb\xbf\r\n\r\n", "a.csv"),
        ],
    )
    async def test_no_data_rows(self, plans_app, plans_client, units, content, name):
        response = await upload(plans_client, plans_app, content, name)
        assert (response.status_code, response.json()["code"]) == (422, "file_empty")

    async def test_csv_named_xlsx(self, plans_app, plans_client, units):
        content = csv_bytes([["Họ và tên", "Đơn vị"], ["A", "Sở Nội vụ"]])
        response = await upload(plans_client, plans_app, content, "a.xlsx")
        assert (response.status_code, response.json()["code"]) == (415, "file_type_mismatch")

    async def test_workbook_named_csv(self, plans_app, plans_client, units):
        content = xlsx([["Họ và tên", "Đơn vị"], ["A", "Sở Nội vụ"]])
        response = await upload(plans_client, plans_app, content, "a.csv")
        assert (response.status_code, response.json()["code"]) == (415, "file_type_mismatch")

    async def test_zip_that_is_not_a_workbook(self, plans_app, plans_client, units):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
            archive.writestr("[Content_Types].xml", "<Types/>")
        response = await upload(plans_client, plans_app, buffer.getvalue(), "a.xlsx")
        assert (response.status_code, response.json()["code"]) == (415, "file_type_mismatch")

    async def test_unsupported_extension(self, plans_app, plans_client, units):
        response = await upload(plans_client, plans_app, b"%PDF-1.7", "a.pdf")
        assert (response.status_code, response.json()["code"]) == (415, "unsupported_file_type")

    async def test_password_protected_workbook(self, plans_app, plans_client, units):
        # An encrypted OOXML file is an OLE compound file with an EncryptionInfo stream.
        content = CFB_MAGIC + b"\x00" * 4096 + "EncryptionInfo".encode("utf-16-le")
        response = await upload(plans_client, plans_app, content, "bao-mat.xlsx")
        assert (response.status_code, response.json()["code"]) == (422, "file_encrypted")

    async def test_legacy_xls_named_xlsx(self, plans_app, plans_client, units):
        content = CFB_MAGIC + b"\x00" * 4096 + "Workbook".encode("utf-16-le")
        response = await upload(plans_client, plans_app, content, "cu.xlsx")
        assert (response.status_code, response.json()["code"]) == (415, "file_type_mismatch")

    async def test_zip_bomb_declared_size(self, plans_app, plans_client, units):
        """A real workbook whose directory claims a 4 GB sheet."""
        content = bytearray(xlsx([["Họ và tên", "Đơn vị"], ["A", "Sở Nội vụ"]]))
        directory = content.find(b"PK\x01\x02")
        assert directory > 0
        content[directory + 24 : directory + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        response = await upload(plans_client, plans_app, bytes(content), "a.xlsx")
        assert (response.status_code, response.json()["code"]) == (
            422,
            "file_too_large_uncompressed",
        )

    async def test_zip_bomb_of_zeros(self, plans_app, plans_client, units):
        """50 MB of zeros deflate to about 50 KB: refused before openpyxl inflates anything."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                chunk = b"\x00" * (1024 * 1024)
                for _ in range(50):
                    sheet.write(chunk)
        assert len(buffer.getvalue()) < 1024 * 1024
        response = await upload(plans_client, plans_app, buffer.getvalue(), "a.xlsx")
        assert (response.status_code, response.json()["code"]) == (
            422,
            "file_too_large_uncompressed",
        )

    async def test_missing_columns(self, plans_app, plans_client, units):
        content = csv_bytes([["Họ và tên", "Chức vụ"], ["A", "Chuyên viên"]])
        response = await upload(plans_client, plans_app, content, "a.csv")
        body = response.json()
        assert (response.status_code, body["code"]) == (422, "missing_columns")
        assert body["missing"] == ["Đơn vị"]

    async def test_csv_not_utf8(self, plans_app, plans_client, units):
        content = b"full_name,unit\nJos\xe9,S\xf4 N\xf4i vu\n"  # Windows-1252, not UTF-8
        response = await upload(plans_client, plans_app, content, "a.csv")
        assert (response.status_code, response.json()["code"]) == (422, "file_encoding")

    async def test_file_over_the_size_limit(self, plans_app, plans_client, units, monkeypatch):
        limits = importer.Limits(upload=UploadLimits(max_bytes=1000))
        monkeypatch.setattr(importer, "LIMITS", limits)
        content = csv_bytes([["Họ và tên", "Đơn vị"]] + [["A", "Sở Nội vụ"]] * 100)
        response = await upload(plans_client, plans_app, content, "a.csv")
        assert (response.status_code, response.json()["code"]) == (413, "file_too_large")

    async def test_body_over_the_service_limit(self, plans_app, plans_client, units):
        """The service's upload limit answers before the importer reads anything; a file over
        the ordinary body limit but under the upload limit gets through to the importer."""
        settings = plans_app.state.settings
        too_big = await upload(
            plans_client, plans_app, b"a" * (settings.max_upload_bytes + 1), "a.csv"
        )
        big = await upload(plans_client, plans_app, b"a" * (settings.max_body_bytes + 1), "a.csv")
        assert (too_big.status_code, too_big.json()["code"]) == (413, "payload_too_large")
        assert big.json()["code"] != "payload_too_large"

    async def test_too_many_rows_stops_early(self, plans_app, plans_client, units, monkeypatch):
        monkeypatch.setattr(importer, "LIMITS", importer.Limits(max_rows=100))
        content = csv_bytes([["Họ và tên", "Đơn vị"]] + [["A", "Sở Nội vụ"]] * 101)
        response = await upload(plans_client, plans_app, content, "a.csv")
        body = response.json()
        assert (response.status_code, body["code"], body["max_rows"]) == (
            422,
            "too_many_rows",
            100,
        )


class TestLargeFile:
    async def test_ten_thousand_rows(self, plans_app, plans_client, units):
        rows = [VI_HEADER] + [
            vi_row(n, f"Cán bộ {n}", f"CB{n:05d}", "Sở Nội vụ" if n % 2 else "STP")
            for n in range(10_000)
        ]
        content = xlsx(rows)
        started = time.perf_counter()
        response = await upload(plans_client, plans_app, content, "lon.xlsx")
        elapsed = time.perf_counter() - started

        assert response.status_code == 200, response.text[:500]
        assert response.json()["created"] == 10_000
        assert await table_counts(plans_app) == (10_000, 10_000, 10_000)
        assert elapsed < 60, f"import took {elapsed:.1f}s"
