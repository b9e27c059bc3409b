"""The files folder: content-addressed (a SHA-256 names the file, so the same bytes are stored
once), written atomically (a temporary file renamed into place), never named by the client."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FileStore:
    dir: Path
    max_bytes: int

    @staticmethod
    def key(sha256: str) -> str:
        """``ab/cd/abcd…``: two levels of folders keep each folder small."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def path(self, key: str) -> Path:
        return self.dir / self.key(key.rsplit("/", 1)[-1])

    def put(self, data: bytes, sha256: str) -> str:
        """Store the bytes unless that content is there already; return its key. Blocking."""
        key = self.key(sha256)
        target = self.dir / key
        if target.is_file():
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)  # atomic: readers see the whole file or none
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return key


def get_store(request: Request) -> FileStore:
    files = request.app.state.settings.files
    return FileStore(Path(files.dir), files.max_bytes)


Store = Annotated[FileStore, Depends(get_store)]
