"""The plans-registry figures of `make bench`: a 2,000-row task-table import, and
GET /api/plans/v1/tasks?overdue=true with 100,000 officials and 20,000 tasks.

The bulk data is written with SQL (generate_series) straight into plans-api's database, the way
a province's history would have accumulated; the measured calls go through HTTP.
"""

from __future__ import annotations

import asyncio
import io
import statistics
import time
import uuid
from typing import Any

import asyncpg
import httpx
import openpyxl
from sqlalchemy.engine import make_url

OFFICIALS = 100_000
TASKS = 20_000
PLANS = 20
DEPARTMENTS = 40
COMMUNES = 100
IMPORT_ROWS = 2_000


def _dsn(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    return {
        "user": parsed.username,
        "host": parsed.query.get("host") or parsed.host,
        "port": parsed.port,
        "database": parsed.database,
    }


async def seed(database_url: str, province_id: uuid.UUID) -> None:
    conn = await asyncpg.connect(**_dsn(database_url))
    try:
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO units (id, code, name, level, parent_id, version) "
                "SELECT gen_random_uuid(), 'B-' || i, 'Sở thử nghiệm ' || i, 'department', $1, 1 "
                "FROM generate_series(1, $2) AS i",
                province_id,
                DEPARTMENTS,
            )
            await conn.execute(
                "INSERT INTO units (id, code, name, level, parent_id, version) "
                "SELECT gen_random_uuid(), 'X-' || i, 'Xã thử nghiệm ' || i, 'commune', $1, 1 "
                "FROM generate_series(1, $2) AS i",
                province_id,
                COMMUNES,
            )
            await conn.execute(
                "INSERT INTO officials (id, full_name, unit_id, is_leader, cchc_role, "
                "one_stop_shop, expert_pool, leadership_source, version) "
                "SELECT gen_random_uuid(), 'Cán bộ ' || i, u.id, i % 10 = 0, "
                "(ARRAY['dedicated','concurrent','none','none'])[1 + i % 4], i % 7 = 0, false, "
                "false, 1 FROM generate_series(1, $1) AS i "
                "JOIN LATERAL (SELECT id FROM units WHERE parent_id = $2 "
                "OFFSET (i % $3) LIMIT 1) u ON true",
                OFFICIALS,
                province_id,
                DEPARTMENTS + COMMUNES,
            )
            await conn.execute(
                "INSERT INTO official_versions (id, official_id, valid_from, unit_id, is_leader, "
                "cchc_role, one_stop_shop, expert_pool, leadership_source) "
                "SELECT gen_random_uuid(), id, DATE '2024-01-01', unit_id, is_leader, cchc_role, "
                "one_stop_shop, expert_pool, leadership_source FROM officials"
            )
            await conn.execute(
                "INSERT INTO plans (id, code, kind, title, issuer_unit_id, province_id, "
                "start_year, end_year, status, legal_bases, version) "
                "SELECT gen_random_uuid(), i || '/KH-BENCH', 'ke_hoach', 'Kế hoạch thử ' || i, "
                "$1, $1, 2023, 2030, 'active', '[]', 1 FROM generate_series(1, $2) AS i",
                province_id,
                PLANS,
            )
            await conn.execute(
                "INSERT INTO tasks (id, plan_id, number, sort_key, kind, title, due_dates, "
                "next_due_on, done, schedule_flagged, version) "
                "SELECT gen_random_uuid(), p.id, n::text, ARRAY[n], 'task', "
                "'Nhiệm vụ thử nghiệm ' || n, ARRAY[d], d, n % 5 = 0, false, 1 "
                "FROM (SELECT id, row_number() OVER () AS r FROM plans) p "
                "CROSS JOIN generate_series(1, $1) AS n "
                "CROSS JOIN LATERAL (SELECT DATE '2023-03-31' + ((n * 37 + p.r) % 2400)::int) "
                "AS dd(d)",
                TASKS // PLANS,
            )
            await conn.execute(
                "INSERT INTO task_units (task_id, unit_id, role) "
                "SELECT t.id, u.id, 'lead' FROM tasks t "
                "JOIN LATERAL (SELECT id FROM units WHERE parent_id = $1 "
                "OFFSET (abs(hashtext(t.id::text)) % $2) LIMIT 1) u ON true",
                province_id,
                DEPARTMENTS + COMMUNES,
            )
            await conn.execute("ANALYZE")
    finally:
        await conn.close()


def import_workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        [
            "TT",
            "Nội dung",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Sản phẩm",
            "Thời gian thực hiện",
            "Ghi chú",
        ]
    )
    for i in range(1, rows + 1):
        number = f"{(i - 1) // 10 + 1}" if i % 10 == 1 else f"{(i - 1) // 10 + 1}.{(i - 1) % 10}"
        sheet.append(
            [
                number,
                f"Nhiệm vụ nhập số {i}",
                "Sở thử nghiệm 1",
                "Sở thử nghiệm 2, UBND cấp xã",
                "Báo cáo",
                "Hàng năm",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def latency(
    client: httpx.Client, url: str, headers: dict[str, str], count: int = 200
) -> dict[str, Any]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append(time.perf_counter() - started)
        response.raise_for_status()
    timings.sort()
    return {
        "requests": count,
        "p50_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(count * 0.95)] * 1000, 1),
        "total": response.json()["total"],
    }


def run(plans_url: str, database_url: str, admin_token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=plans_url, timeout=300) as client:
        province = client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={"code": "92", "name": "Thành phố Cần Thơ", "level": "province"},
        ).json()
        asyncio.run(seed(database_url, uuid.UUID(province["id"])))
        plan = client.post(
            "/api/plans/v1/plans",
            headers=headers,
            json={
                "code": "1/KH-IMPORT",
                "kind": "ke_hoach",
                "title": "Kế hoạch nhập thử",
                "issuer_unit_id": province["id"],
                "start_year": 2023,
                "end_year": 2030,
            },
        ).json()
        workbook = import_workbook(IMPORT_ROWS)
        started = time.perf_counter()
        imported = client.post(
            f"/api/plans/v1/plans/{plan['id']}/import",
            headers=headers,
            files={
                "file": (
                    "bang.xlsx",
                    workbook,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            },
        )
        import_seconds = time.perf_counter() - started
        imported.raise_for_status()
        overdue = latency(client, "/api/plans/v1/tasks?overdue=true&limit=50", headers)
    return {
        "officials": OFFICIALS,
        "tasks": TASKS + IMPORT_ROWS,
        "import_2000_rows": {
            "seconds": round(import_seconds, 2),
            "tasks_created": imported.json()["tasks_created"],
            "file_bytes": len(workbook),
        },
        "tasks_overdue_reform_admin": overdue,
    }
