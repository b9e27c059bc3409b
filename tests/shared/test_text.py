"""One fold for every accent-insensitive comparison, and LIKE patterns that mean what they say."""

from __future__ import annotations

import unicodedata

import pytest

from shared.text import (
    clean,
    contains_pattern,
    escape_like,
    fold,
    fold_words,
    nfc,
    strip_accents,
    trim,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sở Tư pháp", "so tu phap"),
        ("SỞ  TƯ PHÁP\n", "so tu phap"),
        ("Đặng Thị Hà", "dang thi ha"),
        ("Quý II – IV", "quy ii - iv"),
        ("2022\u22122023", "2022-2023"),
        (unicodedata.normalize("NFD", "Cải cách hành chính"), "cai cach hanh chinh"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_words_drops_punctuation_but_keeps_words() -> None:
    assert fold_words("Họ và tên (*)") == "ho va ten"
    assert fold_words("Mã_số, đơn vị:") == "ma_so don vi"


def test_nfc_trim_and_clean() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert nfc(decomposed) == "Nguyễn" != decomposed
    assert trim(f"  {decomposed}   Văn\tA ") == "Nguyễn   Văn\tA"
    assert clean(f"  {decomposed}   Văn\tA ") == "Nguyễn Văn A"


def test_strip_accents_keeps_case() -> None:
    assert strip_accents("Đặng Thị Hà") == "Dang Thi Ha"


def test_like_patterns_take_wildcards_literally() -> None:
    assert escape_like(r"50%_a\b") == r"50\%\_a\\b"
    assert contains_pattern("  10% ") == r"%10\%%"
