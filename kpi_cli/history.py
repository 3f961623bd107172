"""The run history in SQLite (stdlib sqlite3). For now it keeps owner check-ins from `kpi checkin`.

It lives beside the config (`.kpi/history.sqlite`) unless --history names another file, so a cron
job and a person at the terminal share it. Tables are created on first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from kpi_cli.config.models import Checkin
from kpi_cli.errors import DataError

SCHEMA = """
CREATE TABLE IF NOT EXISTS checkins (
    kpi TEXT NOT NULL,
    date TEXT NOT NULL,
    confidence TEXT NOT NULL,
    comment TEXT,
    owner TEXT,
    recorded_at TEXT NOT NULL DEFAULT (datetime('now'))
)
"""


def default_path(config_path: Path) -> Path:
    return config_path.parent / ".kpi" / "history.sqlite"


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path)) as connection, connection:
            connection.execute(SCHEMA)
            yield connection
    except (sqlite3.Error, OSError) as exc:
        raise DataError(f"{path}: cannot use the history database: {exc}") from None


def record_checkin(path: Path, checkin: Checkin) -> None:
    with _connect(path) as db:
        db.execute(
            "INSERT INTO checkins (kpi, date, confidence, comment, owner) VALUES (?, ?, ?, ?, ?)",
            (checkin.kpi, checkin.date.isoformat(), checkin.confidence, checkin.comment, checkin.owner),
        )


def load_checkins(path: Path) -> list[Checkin]:
    """Check-ins recorded so far; none when there is no history yet (nothing is created by reading)."""
    if not path.exists():
        return []
    with _connect(path) as db:
        rows = db.execute(
            "SELECT kpi, date, confidence, comment, owner FROM checkins ORDER BY rowid"
        ).fetchall()
    keys = ("kpi", "date", "confidence", "comment", "owner")
    return [Checkin.model_validate(dict(zip(keys, row, strict=True))) for row in rows]
