"""The run history in SQLite (stdlib sqlite3): owner check-ins from `kpi checkin`, and every
`kpi check` run with its KPI values and findings (kpi_cli.runs reads and writes those tables).

It lives beside the config (`.kpi/history.sqlite`) unless --history names another file, so a cron
job and a person at the terminal share it.

The file is the team's record, so it is handled with care: it is opened only if it is a regular
file, checked with `PRAGMA quick_check` before anything reads or writes it, and its schema version
(`PRAGMA user_version`) must be one this kpi knows. A damaged file or one from a newer kpi is a
DataError naming the file and is never written, "repaired" or replaced. Reading never creates or
migrates anything, so `kpi check` works beside a read-only config. One invalid row is skipped and
reported, never a reason for every later run to fail.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kpi_cli.config.models import Checkin
from kpi_cli.errors import DataError
from kpi_cli.files import check_regular_file
from kpi_cli.untrusted import one_line

# Each entry brings a file from user_version N-1 to N (index 0 is version 1). Issue #11 adds run
# tables by appending a step; a file created before versions existed is at 0 with `checkins`
# already there, which is why the first step says IF NOT EXISTS.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS checkins (
            kpi TEXT NOT NULL,
            date TEXT NOT NULL,
            confidence TEXT NOT NULL,
            comment TEXT,
            owner TEXT,
            recorded_at TEXT NOT NULL DEFAULT (datetime('now'))
        )""",
    ),
    # 2: runs of `kpi check` (issue 11). A run is one row; its KPI values and findings hang off it,
    # all written in one transaction so a killed run leaves nothing half-stored.
    (
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            config_name TEXT NOT NULL,
            by TEXT NOT NULL DEFAULT '',
            config_hash TEXT NOT NULL,
            as_of TEXT NOT NULL,
            period TEXT NOT NULL,
            status TEXT NOT NULL,
            recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )""",
        "CREATE INDEX runs_by_series ON runs (config_name, by, id)",
        """CREATE TABLE run_kpis (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            kpi TEXT NOT NULL,
            dimension TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL DEFAULT '',
            period TEXT NOT NULL,
            actual REAL,
            target REAL,
            status TEXT NOT NULL
        )""",
        "CREATE INDEX run_kpis_by_run ON run_kpis (run_id)",
        """CREATE TABLE run_findings (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            key TEXT NOT NULL,
            rule TEXT NOT NULL,
            kpi TEXT,
            segment TEXT,
            code TEXT NOT NULL,
            severity TEXT NOT NULL,
            state TEXT NOT NULL,
            streak INTEGER NOT NULL,
            last_notified TEXT,
            messages TEXT NOT NULL
        )""",
        "CREATE INDEX run_findings_by_run ON run_findings (run_id)",
        """CREATE TABLE notifications (
            run_id INTEGER NOT NULL REFERENCES runs (id),
            ok INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            status INTEGER,
            error TEXT,
            findings INTEGER NOT NULL,
            recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
# Concurrent checks wait for each other instead of failing; a loaded CI runner with twenty
# checks starting at once needed more than 10 s.
BUSY_TIMEOUT_SECONDS = 60.0
WHAT = "history database"


@dataclass(frozen=True)
class History:
    checkins: list[Checkin] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line per row that could not be read


HISTORY_ENV = "KPI_HISTORY"


def default_path(config_path: Path, environ: Mapping[str, str] | None = None) -> Path:
    """Where the history is when --history does not say: $KPI_HISTORY (one file for a cron job's
    or a CI cache's runs), else `.kpi/history.sqlite` beside the config."""
    named = (os.environ if environ is None else environ).get(HISTORY_ENV, "").strip()
    return Path(named) if named else config_path.parent / ".kpi" / "history.sqlite"


@contextmanager
def open_history(path: Path, *, write: bool) -> Iterator[sqlite3.Connection]:
    """A checked connection; `write` creates the folder and file and brings the schema up to date."""
    with _open(path, write=write) as db:
        if write:
            migrate(db)
        yield db


@contextmanager
def _open(path: Path, *, write: bool) -> Iterator[sqlite3.Connection]:
    if path.exists() or path.is_symlink():
        check_regular_file(path, DataError, WHAT)
    try:
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        else:
            connection = _connect_read_only(path)
        with closing(connection):
            _check_integrity(connection, path)
            if write:
                _check_ours(connection, path)
            yield connection
    except sqlite3.Error as exc:
        if write and _UNWRITABLE.search(str(exc)):
            raise DataError(_cannot_write(path, one_line(exc, 120))) from None
        raise DataError(f"{path}: cannot use the {WHAT}: {one_line(exc, 200)}") from None
    except OSError as exc:
        if write and isinstance(exc, FileExistsError | NotADirectoryError):
            raise DataError(_cannot_write(path, "a file is in the way of its folder")) from None
        if write and isinstance(exc, PermissionError):
            raise DataError(_cannot_write(path, "the folder is read-only")) from None
        raise DataError(f"{path}: cannot use the {WHAT}: {exc.strerror or exc}") from None


# What SQLite says when the file or its folder cannot be written (a read-only checkout or mount).
_UNWRITABLE = re.compile(r"readonly|read-only|unable to open database file|permission", re.IGNORECASE)


def _cannot_write(path: Path, reason: str) -> str:
    return (
        f"{path}: cannot write the {WHAT} there ({reason}); name a writable file with --history "
        "or KPI_HISTORY, or pass --no-history"
    )


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. A WAL file in a folder the user cannot write (a read-only
    config checkout) refuses even `mode=ro`, since readers need its -shm file; then the file is
    read as immutable, which is safe because nobody can write it there either."""
    uri = path.resolve().as_uri()
    connection = sqlite3.connect(
        f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
    )
    try:
        connection.execute("PRAGMA user_version").fetchone()
        return connection
    except sqlite3.OperationalError:
        connection.close()
        if os.access(path.resolve().parent, os.W_OK):
            raise
    return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)


def _check_integrity(db: sqlite3.Connection, path: Path) -> None:
    problems = [str(row[0]) for row in db.execute("PRAGMA quick_check(3)").fetchall()]
    if problems != ["ok"]:
        raise DataError(
            f"{path}: the {WHAT} is damaged ({one_line('; '.join(problems), 160)}); it was left as it is: "
            "restore it from a backup or move it away"
        )
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise DataError(
            f"{path}: the {WHAT} is schema version {version}, written by a newer kpi "
            f"(this one knows up to {SCHEMA_VERSION}); upgrade kpi to use it"
        )


def _check_ours(db: sqlite3.Connection, path: Path) -> None:
    """A database some other program wrote (tables, no version, no check-ins) is not ours to extend."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if version == 0 and tables and "checkins" not in tables:
        raise DataError(
            f"{path}: is a database kpi did not write (tables {one_line(', '.join(sorted(tables)), 80)}); "
            f"it was left as it is: name another file with --history"
        )


def migrate(db: sqlite3.Connection) -> None:
    _use_wal(db)
    db.execute("BEGIN IMMEDIATE")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                db.execute(statement)
        if version < SCHEMA_VERSION:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch a new history to WAL, so readers never block the writer nor the writer them.

    Switching needs the file to itself, and SQLite answers "database is locked" at once, without
    waiting out the busy timeout, when another connection holds a read lock it would have to wait
    for (its deadlock guard). Twenty cron checks starting together on a new history all try it;
    each retries until one has switched the file, which stays WAL for every later run.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def record_checkin(path: Path, checkin: Checkin) -> None:
    with open_history(path, write=True) as db:
        db.execute(
            "INSERT INTO checkins (kpi, date, confidence, comment, owner) VALUES (?, ?, ?, ?, ?)",
            (checkin.kpi, checkin.date.isoformat(), checkin.confidence, checkin.comment, checkin.owner),
        )


def load_history(path: Path) -> History:
    """What has been recorded so far; nothing when there is no history yet (reading creates nothing)."""
    if not (path.exists() or path.is_symlink()):
        return History()
    with _open(path, write=False) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "checkins" not in tables:
            return History()
        rows = db.execute(
            "SELECT rowid, kpi, date, confidence, comment, owner FROM checkins ORDER BY rowid"
        ).fetchall()
    keys = ("kpi", "date", "confidence", "comment", "owner")
    history = History()
    for rowid, *values in rows:
        try:
            history.checkins.append(Checkin.model_validate(dict(zip(keys, values, strict=True))))
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "row"
            history.skipped.append(
                f"{path}: check-in row {rowid} skipped: invalid {where} ({one_line(problem['msg'], 80)})"
            )
    return history


def load_checkins(path: Path) -> list[Checkin]:
    """The valid check-ins; see `load_history` for the rows that were skipped."""
    return load_history(path).checkins
