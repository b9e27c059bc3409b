"""shared.tables.cells: cell values as text, lines, yes/no and dates."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from shared.tables.cells import CellError, cell_bool, cell_date, cell_lines, cell_text


@pytest.mark.parametrize("value", ["Có", "có", "x", "X", "1", 1, 1.0, "yes", True, "TRUE"])
def test_true(value):
    assert cell_bool(value) is True


@pytest.mark.parametrize("value", ["Không", "khong", "0", 0, "no", False, "N"])
def test_false(value):
    assert cell_bool(value) is False


def test_empty_and_invalid_booleans():
    assert cell_bool(None) is None and cell_bool("  ") is None
    with pytest.raises(CellError) as error:
        cell_bool("có lẽ")
    assert error.value.code == "invalid_boolean"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/2021", date(2021, 3, 15)),
        ("5/3/2021", date(2021, 3, 5)),
        ("05-03-2021", date(2021, 3, 5)),
        ("2021-03-15", date(2021, 3, 15)),
        (datetime(2021, 3, 15, 0, 0), date(2021, 3, 15)),
        (date(2021, 3, 15), date(2021, 3, 15)),
        (44270, date(2021, 3, 15)),  # Excel serial number
        (None, None),
        ("", None),
    ],
)
def test_dates(value, expected):
    assert cell_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2021", "2021-13-01", "hôm qua", "15/03/21"])
def test_invalid_dates(value):
    with pytest.raises(CellError) as error:
        cell_date(value)
    assert error.value.code == "invalid_date"


def test_text():
    assert cell_text(12345.0) == "12345"
    assert cell_text("  Nguyễn   Văn\tAn ") == "Nguyễn Văn An"
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn" and cell_text(decomposed) == "Nguyễn"
    assert cell_text("   ") is None


def test_lines():
    assert cell_lines(" Báo cáo  \r\n+ Kế hoạch\u200b\r") == "Báo cáo\n+ Kế hoạch"
    assert cell_lines(date(2023, 6, 30)) == "30/06/2023"
    assert (cell_lines(2.0), cell_lines(2.1), cell_lines(None), cell_lines(True)) == (
        "2",
        "2.1",
        "",
        "",
    )
    assert cell_lines("'=SUM(A1)") == "=SUM(A1)"  # the export's guard, undone
