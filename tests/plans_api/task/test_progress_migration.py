"""The migration that puts progress on the task back-fills it from the reports already there."""

from __future__ import annotations

import asyncio
import os
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.devdb import ensure_databases, with_database
from shared.migrations import alembic_config

PLANS_API = Path(__file__).resolve().parents[3] / "services" / "plans-api"
BEFORE = "d0843df1e942"  # the revision before task_progress

SEED = """
INSERT INTO units (id, code, name, level) VALUES
    ('00000000-0000-0000-0000-000000000001', 'P', 'Tỉnh P', 'province');
INSERT INTO plans (id, code, kind, title, issuer_unit_id, province_id, start_year, end_year,
                   status, legal_bases, version) VALUES
    ('00000000-0000-0000-0000-0000000000a1', '1/KH', 'ke_hoach', 'Kế hoạch',
     '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001',
     2024, 2025, 'active', '[]', 1);
INSERT INTO tasks (id, plan_id, number, sort_key, kind, title, schedule_flagged, due_dates, done,
                   version) VALUES
    ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000a1', '1', '{1}',
     'task', 'Reported', false, '{2024-06-30,2024-12-31}', false, 1),
    ('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000a1', '2', '{2}',
     'task', 'Never reported', false, '{2024-12-31}', false, 1);
INSERT INTO periods (id, province_id, kind, year, data_from, data_to, due_on, unit_due_on) VALUES
    ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-000000000001', 'q1', 2024,
     '2023-12-15', '2024-03-14', '2024-03-20', '2024-03-15'),
    ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-000000000001', 'h1', 2024,
     '2023-12-15', '2024-06-14', '2024-06-20', '2024-06-15'),
    ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-000000000001', 'q3', 2024,
     '2024-06-15', '2024-09-14', '2024-09-20', '2024-09-15');
INSERT INTO progress_reports (id, task_id, unit_id, period_id, status, figures, evidence, late,
                              version) VALUES
    ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000b1',
     '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000c2', 'done',
     '{}', '[]', false, 1),
    ('00000000-0000-0000-0000-0000000000d2', '00000000-0000-0000-0000-0000000000b1',
     '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000c3', 'blocked',
     '{}', '[]', false, 1),
    ('00000000-0000-0000-0000-0000000000d3', '00000000-0000-0000-0000-0000000000b1',
     '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000c1', 'in_progress',
     '{}', '[]', false, 1);
"""


async def test_latest_status_and_done_through_are_back_filled(pg_server_url: str) -> None:
    name = f"test_plans_progress_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    await ensure_databases(pg_server_url, [name], recreate=True)
    url = with_database(pg_server_url, name)
    config = alembic_config(PLANS_API, url)
    await asyncio.to_thread(command.upgrade, config, BEFORE)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in SEED.split(";\n"):
                if statement.strip():
                    await connection.execute(text(statement))
        await asyncio.to_thread(command.upgrade, config, "head")
        async with engine.connect() as connection:
            query = text("SELECT title, latest_status, done_through FROM tasks ORDER BY number")
            rows = (await connection.execute(query)).all()
    finally:
        await engine.dispose()
    # The latest period (q3) decides the status; the done h1 report covers up to 30 June.
    assert [tuple(row) for row in rows] == [
        ("Reported", "blocked", date(2024, 6, 30)),
        ("Never reported", None, None),
    ]
