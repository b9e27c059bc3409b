"""Exported cells that a spreadsheet could take for a formula, and undoing the guard on import.

Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a
leading apostrophe (OWASP, CSV injection), so neither Excel nor a CSV saved from it ever
evaluates it; a list item's leading ``- `` (a dash and a space) is left as it is.
:func:`unguard` removes the apostrophe again, so an exported table imports back unchanged.
"""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = re.compile(r"^'(?=[=+\-@\t\r])")


def safe_text(text: str | None) -> str | None:
    """``text`` as a spreadsheet can never evaluate it."""
    if not text or not text.startswith(_FORMULA_START):
        return text
    if text == "-" or text.startswith("- "):
        return text
    return "'" + text


def unguard(text: str) -> str:
    """``text`` without the apostrophe :func:`safe_text` put before it."""
    return _GUARDED.sub("", text)
