"""shared.tables.formulas: no exported cell is ever a formula, and the guard comes off again."""

from __future__ import annotations

import pytest

from shared.tables.formulas import safe_text, unguard


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1+1"]
)
def test_formula_starts_are_guarded_and_unguarded(text):
    assert safe_text(text) == "'" + text
    assert unguard("'" + text) == text


@pytest.mark.parametrize("text", ["- Tổ chức hội nghị", "-", "Quý II - IV", "2023 - 2030", ""])
def test_readable_text_is_left_alone(text):
    assert safe_text(text) == text
    assert unguard(text) == text


def test_an_apostrophe_of_the_author_stays():
    assert unguard("'Quý II'") == "'Quý II'"
