"""Vietnamese text at the edge and for matching: NFC, spaces, and one accent-insensitive fold.

``fold`` is what every comparison of names, headers and schedule words goes through, so that
``Sở Tư pháp``, ``SỞ TƯ PHÁP`` and ``so tu phap`` are one name. The database side of the same
idea (``f_unaccent``) is :mod:`shared.search`.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_NOT_WORD = re.compile(r"[^\w]+")


def nfc(text: str) -> str:
    """The text in Unicode NFC (how Vietnamese is stored), nothing else changed."""
    return unicodedata.normalize("NFC", text)


def trim(text: str) -> str:
    """NFC, trimmed; the spaces inside are kept (what a form field stores)."""
    return nfc(text.strip())


def clean(text: str) -> str:
    """NFC, trimmed, every run of white space made one space."""
    return " ".join(nfc(text).split())


def strip_accents(text: str) -> str:
    """``Đặng Thị Hà`` → ``Dang Thi Ha``: diacritics removed, đ/Đ made d/D, case kept."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case, no accents (đ → d), one kind of dash, single spaces: ``Sở  Tư–pháp`` →
    ``so tu-phap``, the key that two spellings of one Vietnamese phrase share."""
    return " ".join(strip_accents(text).translate(_DASHES).casefold().split())


def fold_words(text: str) -> str:
    """:func:`fold` without punctuation: ``Họ và tên (*)`` → ``ho va ten``. For headers."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def escape_like(text: str) -> str:
    """``text`` with LIKE's own characters escaped by a backslash (PostgreSQL's default)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally."""
    return f"%{escape_like(text.strip())}%"
