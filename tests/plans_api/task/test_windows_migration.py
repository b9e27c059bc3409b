"""The migration that makes windows windows reads every stored schedule anew: a one-off window is
due once at its end, a condition makes the task conditional, due dates a person typed stay."""

from __future__ import annotations

from datetime import date

from tests.plans_api.task.migration_run import migrate_seeded

BEFORE = "5c1e7d2b9f30"  # the revision before task_windows (holidays)

# The province, the plan (2709/QĐ-UBND's dates: issued 10/8/2022, 2022-2023) and its tasks as
# the parser before this revision stored them.
SEED = """
INSERT INTO units (id, code, name, level)
VALUES ('00000000-0000-0000-0000-000000000001', 'P', 'Tỉnh P', 'province');
INSERT INTO plans (id, code, kind, title, issuer_unit_id, province_id, issued_on, start_year,
                   end_year, status, legal_bases, version)
SELECT '00000000-0000-0000-0000-0000000000a1', '2709/QĐ', 'de_an', 'Đề án', id, id,
       '2022-08-10', 2022, 2023, 'active', '[]', 1
FROM units;
INSERT INTO tasks (id, plan_id, number, sort_key, kind, title, schedule_text, schedule,
                   schedule_flagged, due_dates, next_due_on, done, done_through, version)
SELECT gen_random_uuid(), plans.id, t.number, ARRAY[t.number::int], 'task', t.title,
       t.words, t.meaning::jsonb, false, t.due::date[], t.due[1]::date, false,
       t.done_through::date, 1
FROM plans, (VALUES
    ('1', 'Window', '2022 - 2023',
     '{"text": "2022 - 2023", "kind": "year_range", "years": [2022, 2023]}',
     '{2022-12-31,2023-12-31}'::text[], NULL),
    ('2', 'Typed', '2022 - 2023',
     '{"text": "2022 - 2023", "kind": "year_range", "years": [2022, 2023]}',
     '{2023-06-30}'::text[], NULL),
    ('3', 'Conditional', 'Hàng năm (nếu cần thiết)',
     '{"text": "Hàng năm (nếu cần thiết)", "kind": "recurring", "recurrence": "annual"}',
     '{2022-12-31,2023-12-31}'::text[], NULL),
    ('4', 'Quarterly', 'Hàng quý',
     '{"text": "Hàng quý", "kind": "recurring", "recurrence": "quarterly"}',
     '{2022-03-31,2022-06-30,2022-09-30,2022-12-31,2023-03-31,2023-06-30,2023-09-30,2023-12-31}'
     ::text[], '2022-09-30'),
    ('5', 'Unscheduled', NULL, NULL, '{}'::text[], NULL)
) AS t (number, title, words, meaning, due, done_through);
"""


async def test_stored_schedules_are_read_anew(pg_server_url: str) -> None:
    query = (
        "SELECT title, due_dates, next_due_on, done, conditional, activated_on, "
        "schedule -> 'window' AS window FROM tasks ORDER BY number"
    )
    found = await migrate_seeded(pg_server_url, "test_plans_windows", BEFORE, SEED, query)
    rows = {row.title: row for row in found}
    window = rows["Window"]
    assert (window.due_dates, window.next_due_on) == ([date(2023, 12, 31)], date(2023, 12, 31))
    assert window.window == {"from": "2022-01-01", "to": "2023-12-31"}
    assert rows["Typed"].due_dates == [date(2023, 6, 30)]  # typed by a person: kept
    conditional = rows["Conditional"]
    assert (conditional.conditional, conditional.next_due_on) == (True, None)
    assert conditional.activated_on is None
    # issued 10/8/2022: no checkpoint before it; the done report covers up to 30/9/2022
    quarterly = rows["Quarterly"]
    assert quarterly.due_dates[0] == date(2022, 9, 30)
    assert quarterly.next_due_on == date(2022, 12, 31)
    unscheduled = rows["Unscheduled"]
    assert (unscheduled.due_dates, unscheduled.conditional) == ([], False)
