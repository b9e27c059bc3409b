from __future__ import annotations

from datetime import date

from plans_api.period.calendar import period_end
from plans_api.task.service import progress, sort_key

QUARTERS_2024 = [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)]


class TestProgress:
    def test_without_reports_the_first_due_date_is_next(self):
        assert progress(QUARTERS_2024, None) == (date(2024, 3, 31), False)

    def test_done_reports_cover_due_dates_up_to_their_period_end(self):
        assert progress(QUARTERS_2024, period_end(2024, "h1")) == (date(2024, 9, 30), False)
        assert progress(QUARTERS_2024, period_end(2024, "q3")) == (date(2024, 12, 31), False)

    def test_done_when_every_due_date_is_covered(self):
        assert progress(QUARTERS_2024, period_end(2024, "year")) == (None, True)
        assert progress([date(2023, 12, 31)], period_end(2024, "q1")) == (None, True)  # done late

    def test_no_due_dates(self):
        assert progress([], None) == (None, False)
        assert progress([], period_end(2024, "q1")) == (None, True)

    def test_unsorted_due_dates(self):
        dates = [date(2025, 12, 31), date(2024, 12, 31)]
        assert progress(dates, None) == (date(2024, 12, 31), False)


def test_period_end():
    assert [period_end(2024, k) for k in ("q1", "h1", "q3", "year")] == QUARTERS_2024


def test_sort_key_orders_numbers_as_printed():
    numbers = ["3.12", "1", "3.2", "10", "3"]
    assert sorted(numbers, key=sort_key) == ["1", "3", "3.2", "3.12", "10"]
