"""holidays: dated days off and working swap days 2022-2030; periods' deadlines on working days,
period rules with a unit due day, per-period overrides

Revision ID: 5c1e7d2b9f30
Revises: 5c1e0d7a9b21
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e7d2b9f30"
down_revision: str | None = "5c1e0d7a9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Lunar dates in the Vietnamese calendar (UTC+7; it differs from China's, e.g. Tết 2030 is
# 2 February in Vietnam, 3 February in China): mùng 1 Tết and Giỗ Tổ Hùng Vương (10/3 âm lịch),
# computed with vnlunar 1.0.5 ``convert_lunar_to_solar`` (Hồ Ngọc Đức's algorithm), which gives
# the known Vietnamese Tết of 1985 (21/1) and 2007 (17/2), and checked against the Tết dates the
# government announced for 2022-2026.
TET = {
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 2),
}
GIO_TO = {
    2022: date(2022, 4, 10),
    2023: date(2023, 4, 29),
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
    2027: date(2027, 4, 16),
    2028: date(2028, 4, 4),
    2029: date(2029, 4, 23),
    2030: date(2030, 4, 12),
}

TET_NAME = "Tết Nguyên đán"
Day = tuple[date, str, str]  # day, name, kind


def _span(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


def _swap(day_off: date, working: date) -> list[Day]:
    return [
        (day_off, f"Nghỉ hoán đổi, làm bù thứ Bảy {working:%d/%m/%Y}", "day_off"),
        (working, f"Làm bù cho ngày {day_off:%d/%m/%Y}", "working_day"),
    ]


# What the government announced for civil servants (the Prime Minister's notices on Tết and
# holiday schedules): these replace the defaults of their group for the year.
ANNOUNCED: dict[tuple[int, str], list[Day]] = {
    # Tết Quý Mão: 20/1 to 26/1/2023
    (2023, "tet"): [(d, TET_NAME, "holiday") for d in _span(date(2023, 1, 20), date(2023, 1, 26))],
    # Tết Giáp Thìn: 8/2 to 14/2/2024
    (2024, "tet"): [(d, TET_NAME, "holiday") for d in _span(date(2024, 2, 8), date(2024, 2, 14))],
    # 30/4-1/5/2024: 27/4 to 1/5, Monday 29/4 swapped with Saturday 4/5
    (2024, "may"): [
        (date(2024, 4, 30), "Ngày Chiến thắng", "holiday"),
        (date(2024, 5, 1), "Ngày Quốc tế Lao động", "holiday"),
        *_swap(date(2024, 4, 29), date(2024, 5, 4)),
    ],
    # Tết Ất Tỵ: 25/1 to 2/2/2025, Monday 27/1 swapped with Saturday 8/2
    (2025, "tet"): [
        *[(d, TET_NAME, "holiday") for d in _span(date(2025, 1, 25), date(2025, 2, 2))],
        *_swap(date(2025, 1, 27), date(2025, 2, 8)),
    ],
    # 30/4-1/5/2025: 30/4 to 4/5, Friday 2/5 swapped with Saturday 26/4
    (2025, "may"): [
        (date(2025, 4, 30), "Ngày Chiến thắng", "holiday"),
        (date(2025, 5, 1), "Ngày Quốc tế Lao động", "holiday"),
        *_swap(date(2025, 5, 2), date(2025, 4, 26)),
    ],
}


def _defaults(year: int) -> dict[str, list[tuple[date, str]]]:
    """The holidays of Bộ luật Lao động 2019, article 112, by group; Tết by default from the
    day before mùng 1 to mùng 4 (five days); Quốc khánh with 1/9 when it is Monday to Friday,
    else 3/9."""
    tet = TET[year]
    before = date(year, 9, 1)
    adjacent = before if before.weekday() < 5 else date(year, 9, 3)
    return {
        "new_year": [(date(year, 1, 1), "Tết Dương lịch")],
        "tet": [(tet + timedelta(days=n), TET_NAME) for n in range(-1, 4)],
        "gio_to": [(GIO_TO[year], "Giỗ Tổ Hùng Vương (10/3 âm lịch)")],
        "may": [
            (date(year, 4, 30), "Ngày Chiến thắng"),
            (date(year, 5, 1), "Ngày Quốc tế Lao động"),
        ],
        "national": sorted([(date(year, 9, 2), "Quốc khánh"), (adjacent, "Quốc khánh")]),
    }


def holidays_of(year: int) -> list[Day]:
    """The year's days: announced groups as announced; default groups with a compensatory day
    off (the next working day) for each holiday on a Saturday or Sunday (article 111(3))."""
    days: dict[date, Day] = {}
    weekend_holidays: list[tuple[date, str]] = []
    for group, defaults in _defaults(year).items():
        announced = ANNOUNCED.get((year, group))
        if announced is not None:
            days.update((d[0], d) for d in announced)
            continue
        for day, name in defaults:
            days[day] = (day, name, "holiday")
            if day.weekday() >= 5:
                weekend_holidays.append((day, name))
    for day, name in sorted(weekend_holidays):
        off = day + timedelta(days=1)
        while off.weekday() >= 5 or off in days:
            off += timedelta(days=1)
        days[off] = (off, f"Nghỉ bù {name}", "day_off")
    return sorted(days.values())


def upgrade() -> None:
    holidays = op.create_table(
        "holidays",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.CheckConstraint(
            "kind IN ('holiday', 'day_off', 'working_day')", name=op.f("ck_holidays_kind")
        ),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_holidays")),
    )
    years = op.create_table(
        "holiday_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_holiday_years_year")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_holiday_years")),
    )
    op.add_column("period_rules", sa.Column("unit_due_day", sa.Integer(), nullable=True))
    op.create_check_constraint(
        op.f("ck_period_rules_unit_due_day"), "period_rules", "unit_due_day BETWEEN 1 AND 28"
    )
    op.add_column(
        "periods",
        sa.Column("overridden", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("periods", sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    span = range(2022, 2031)
    op.bulk_insert(
        holidays,
        [
            {"day": day, "name": name, "kind": kind}
            for year in span
            for day, name, kind in holidays_of(year)
        ],
    )
    op.bulk_insert(years, [{"year": year, "version": 1} for year in span])
    # Periods are stored the first time someone asks: those no report uses are made again, now on
    # working days; those reports use keep the dates their reports were judged by.
    op.execute(
        "DELETE FROM periods p WHERE NOT EXISTS "
        "(SELECT 1 FROM progress_reports r WHERE r.period_id = p.id)"
    )


def downgrade() -> None:
    op.drop_column("periods", "version")
    op.drop_column("periods", "overridden")
    op.drop_constraint(op.f("ck_period_rules_unit_due_day"), "period_rules", type_="check")
    op.drop_column("period_rules", "unit_due_day")
    op.drop_table("holiday_years")
    op.drop_table("holidays")
