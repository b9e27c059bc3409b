"""Hostile files for the upload and import routes."""

from __future__ import annotations

import io
import zipfile

# A DTD that a text match of the first bytes would miss: a comment naming the root comes first.
HIDDEN_DTD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"<!-- <workbook> <w:document> -->"
    b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
)


def with_hidden_dtd(package: bytes, part: str) -> bytes:
    """``package`` (an XLSX or DOCX) with ``part`` rewritten to start with :data:`HIDDEN_DTD`."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == part:
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = HIDDEN_DTD + body.lstrip()
            out.writestr(entry.filename, data)
    return buffer.getvalue()
