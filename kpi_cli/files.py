"""Every file kpi writes goes through `write_atomic`: a reader sees the old file or the new one.

`--output` used to be written in place, so a full disk destroyed the previous report and left
half a JSON file for the next CI step to choke on. Writing a temporary file in the same folder,
syncing it and renaming it over the target makes the switch atomic on POSIX and Windows.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from kpi_cli.errors import UsageError


def write_atomic(path: Path, text: str, *, what: str = "--output") -> None:
    """Write `text` (UTF-8) to `path` atomically; any failure leaves `path` as it was."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory")
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"{what}: cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_mode(path, temp)
        os.replace(temp, path)
        _sync_folder(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise UsageError(f"{what}: cannot write {path}: {exc.strerror or exc}") from None


def _keep_mode(path: Path, temp: str) -> None:
    """mkstemp creates 0600: an existing report keeps its mode, a new one gets the umask's."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
