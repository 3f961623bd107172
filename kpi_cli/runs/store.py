"""Runs in the history database: stored in one transaction with their states, read back for
`kpi history` and `kpi diff`.

The previous run is read and the new one written inside one `BEGIN IMMEDIATE` transaction, so
two checks on one history at once are serialised by SQLite (WAL, busy timeout): each sees the
other as its previous run or not at all, and neither is lost. A process killed mid-write leaves
the transaction uncommitted, which SQLite rolls back on the next open.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpi_cli.findings import Severity, overall_status
from kpi_cli.history import open_history
from kpi_cli.runs.memory import Assessment, Judged, Seen, State


@dataclass(frozen=True)
class RunInfo:
    id: int
    config_name: str
    by: str
    config_hash: str
    as_of: date
    period: str
    status: str
    recorded_at: str


@dataclass(frozen=True)
class KpiRow:
    kpi: str
    dimension: str
    value: str
    period: str
    actual: float | None
    target: float | None
    status: str


@dataclass(frozen=True)
class NewRun:
    """What `kpi check` stores of one run (the findings come with the assessment)."""

    config_name: str
    by: str
    config_hash: str
    as_of: date
    period: str
    kpis: Sequence[KpiRow]
    messages: Callable[[Judged], dict[str, str]]  # language -> wording of a finding


_RUN_COLUMNS = "id, config_name, by, config_hash, as_of, period, status, recorded_at"


def _run(row: Sequence[object]) -> RunInfo:
    ident, name, by, digest, as_of, period, status, recorded = row
    return RunInfo(
        int(str(ident)), str(name), str(by), str(digest), date.fromisoformat(str(as_of)),
        str(period), str(status), str(recorded),
    )  # fmt: skip


def _has_runs(db: sqlite3.Connection) -> bool:
    return (
        db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").fetchone()
        is not None
    )


def latest_run(
    db: sqlite3.Connection, config_name: str, by: str, before: int | None = None
) -> RunInfo | None:
    if not _has_runs(db):
        return None
    query = f"SELECT {_RUN_COLUMNS} FROM runs WHERE config_name = ? AND by = ?"
    args: list[object] = [config_name, by]
    if before is not None:
        query += " AND id < ?"
        args.append(before)
    row = db.execute(query + " ORDER BY id DESC LIMIT 1", args).fetchone()
    return _run(row) if row else None


def seen_in(db: sqlite3.Connection, run_id: int) -> dict[str, Seen]:
    rows = db.execute(
        "SELECT key, rule, kpi, segment, code, severity, state, streak, last_notified, messages "
        "FROM run_findings WHERE run_id = ? ORDER BY rowid",
        (run_id,),
    ).fetchall()
    found = {}
    for key, rule, kpi, segment, code, severity, state, streak, notified, messages in rows:
        found[key] = Seen(
            key, rule, kpi, segment, code, Severity(severity), State(state), int(streak),
            date.fromisoformat(notified) if notified else None, json.loads(messages),
        )  # fmt: skip
    return found


def kpis_in(db: sqlite3.Connection, run_id: int) -> list[KpiRow]:
    rows = db.execute(
        "SELECT kpi, dimension, value, period, actual, target, status FROM run_kpis WHERE run_id = ? "
        "ORDER BY rowid",
        (run_id,),
    ).fetchall()
    return [KpiRow(*row) for row in rows]


def record_run(
    path: Path, run: NewRun, judge: Callable[[dict[str, Seen]], Assessment]
) -> tuple[int, RunInfo | None, Assessment]:
    """Store `run` with the states `judge` gives against the previous run; returns its id."""
    with open_history(path, write=True) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            previous = latest_run(db, run.config_name, run.by)
            assessment = judge(seen_in(db, previous.id) if previous else {})
            run_id = _insert(db, run, assessment)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return run_id, previous, assessment


def _insert(db: sqlite3.Connection, run: NewRun, assessment: Assessment) -> int:
    status = overall_status([j.finding for j in assessment.reported])  # as reported: pending held
    cursor = db.execute(
        "INSERT INTO runs (config_name, by, config_hash, as_of, period, status) VALUES (?, ?, ?, ?, ?, ?)",
        (run.config_name, run.by, run.config_hash, run.as_of.isoformat(), run.period, str(status)),
    )
    run_id = int(cursor.lastrowid or 0)
    db.executemany(
        "INSERT INTO run_kpis (run_id, kpi, dimension, value, period, actual, target, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(run_id, k.kpi, k.dimension, k.value, k.period, k.actual, k.target, k.status) for k in run.kpis],
    )
    db.executemany(
        "INSERT INTO run_findings (run_id, key, rule, kpi, segment, code, severity, state, streak, "
        "last_notified, messages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_finding_row(run_id, j, run.messages(j)) for j in assessment.judged],
    )
    return run_id


def _finding_row(run_id: int, j: Judged, messages: dict[str, str]) -> tuple[object, ...]:
    f = j.finding
    notified = j.last_notified.isoformat() if j.last_notified else None
    return (
        run_id, j.key, f.rule, f.kpi, f.segment, str(f.code), f.severity.value, j.state.value, j.streak,
        notified, json.dumps(messages, ensure_ascii=False),
    )  # fmt: skip


def record_notification(
    path: Path, run_id: int, *, ok: bool, attempts: int, status: int | None, error: str | None,
    keys: Sequence[str], as_of: date,
) -> None:  # fmt: skip
    """The outcome of this run's notification; a delivered one marks its findings as notified."""
    with open_history(path, write=True) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "INSERT INTO notifications (run_id, ok, attempts, status, error, findings) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, int(ok), attempts, status, error, len(keys)),
            )
            if ok:
                db.executemany(
                    "UPDATE run_findings SET last_notified = ? WHERE run_id = ? AND key = ?",
                    [(as_of.isoformat(), run_id, key) for key in keys],
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


@dataclass(frozen=True)
class Notification:
    ok: bool
    attempts: int
    status: int | None
    error: str | None
    findings: int


def runs_of(path: Path, config_name: str, by: str, limit: int) -> list[RunInfo]:
    """The latest `limit` runs of a config, oldest first; none when there is no history yet."""
    if not (path.exists() or path.is_symlink()):
        return []
    with open_history(path, write=False) as db:
        if not _has_runs(db):
            return []
        rows = db.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE config_name = ? AND by = ? ORDER BY id DESC LIMIT ?",
            (config_name, by, limit),
        ).fetchall()
    return [_run(row) for row in reversed(rows)]


def read_runs(
    path: Path, runs: Sequence[RunInfo]
) -> tuple[dict[int, list[KpiRow]], dict[int, dict[str, Seen]]]:
    """The KPI rows and findings of the given runs."""
    if not runs:
        return {}, {}
    with open_history(path, write=False) as db:
        return (
            {r.id: kpis_in(db, r.id) for r in runs},
            {r.id: seen_in(db, r.id) for r in runs},
        )


def notifications_of(path: Path, runs: Sequence[RunInfo]) -> dict[int, Notification]:
    if not runs:
        return {}
    with open_history(path, write=False) as db:
        marks = ",".join("?" * len(runs))
        rows = db.execute(
            f"SELECT run_id, ok, attempts, status, error, findings FROM notifications "
            f"WHERE run_id IN ({marks}) ORDER BY rowid",
            [r.id for r in runs],
        ).fetchall()
    return {int(r[0]): Notification(bool(r[1]), int(r[2]), r[3], r[4], int(r[5])) for r in rows}
