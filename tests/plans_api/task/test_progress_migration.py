"""The migration that puts progress on the task back-fills it from the reports already there."""

from __future__ import annotations

from datetime import date

from tests.plans_api.task.migration_run import migrate_seeded

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
    query = "SELECT title, latest_status, done_through FROM tasks ORDER BY number"
    rows = await migrate_seeded(pg_server_url, "test_plans_progress", BEFORE, SEED, query)
    # The latest period (q3) decides the status; the done h1 report covers up to 30 June.
    assert [tuple(row) for row in rows] == [
        ("Reported", "blocked", date(2024, 6, 30)),
        ("Never reported", None, None),
    ]
