"""Every file kpi writes goes through `write_atomic`: a reader sees the old file or the new one.

`--output` used to be written in place, so a full disk destroyed the previous report and left
half a JSON file for the next CI step to choke on. Writing a temporary file in the same folder,
syncing it and renaming it over the target makes the switch atomic on POSIX and Windows.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from kpi_cli.errors import KpiError, UsageError
from kpi_cli.i18n.values import Term

_KINDS = (
    (stat.S_ISDIR, "kind.directory"),
    (stat.S_ISFIFO, "kind.fifo"),
    (stat.S_ISCHR, "kind.char_device"),
    (stat.S_ISBLK, "kind.block_device"),
    (stat.S_ISSOCK, "kind.socket"),
)
# The two things users most often name wrongly, worded in their language; other callers' phrases
# ("file of source 'crm'") stay as given.
_WHAT = {"config file": "what.config_file", "file": "what.file"}


def check_regular_file(path: Path, error: type[KpiError], what: str, max_bytes: int | None = None) -> int:
    """The size of `path`, after refusing what is not a regular file, before anything opens it.

    Opening a FIFO blocks forever and reading `/dev/zero` never ends, so the kind is checked with
    stat first; `max_bytes` bounds what a reader will take into memory.
    """
    named: object = Term(_WHAT[what]) if what in _WHAT else what
    try:
        info = path.stat()
    except FileNotFoundError:
        raise error.said("error.file.not_found", path=str(path), what=named) from None
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise error.said("error.file.unreadable", path=str(path), what=named, reason=reason) from None
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise error.said("error.file.kind", path=str(path), kind=Term(kind), what=named)
    if max_bytes is not None and info.st_size > max_bytes:
        raise error.said("error.file.too_big", path=str(path), what=named, size=info.st_size, most=max_bytes)
    return info.st_size


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
