"""Hostile history databases (issue 7): damaged, foreign, newer or not files at all; each a clear
error naming the file and never written, or read with its bad rows skipped and said so."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from kpi_cli.config.models import Checkin
from kpi_cli.history import record_checkin
from tests.hostile.harness import ROOT, Result, assert_contract, invoke_kpi

SAAS = str(ROOT / "configs" / "saas_leadgen.yaml")


def _check(history: Path) -> Result:
    result = invoke_kpi(
        "check", "-c", SAAS, "--as-of", "2026-11-20", "--fail-on", "never", "--history", str(history)
    )
    assert_contract(result)
    return result


def _checkin(history: Path) -> Result:
    result = invoke_kpi(
        "checkin", "-c", SAAS, "--kpi", "leads", "--confidence", "at_risk", "--date", "2026-11-20",
        "--history", str(history),
    )  # fmt: skip
    assert_contract(result)
    return result


def _good(path: Path) -> Path:
    record_checkin(path, Checkin(kpi="leads", date=date(2026, 11, 5), confidence="at_risk"))
    return path


def _corrupt_pages(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'checkins'").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\x5a" * size)


def test_page_corrupted_refuses_check_and_checkin_and_is_left_alone(tmp_path: Path) -> None:
    path = _good(tmp_path / "h.sqlite")
    _corrupt_pages(path)
    before = path.read_bytes()
    for result in (_check(path), _checkin(path)):
        assert result.code == 2 and str(path) in result.stderr
        assert "damaged" in result.stderr or "malformed" in result.stderr, result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not a database at all", "cannot use the history database: file is not a database"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "cannot use the history database"),
    ],
    ids=["text", "truncated-header"],
)
def test_not_a_database(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "h.sqlite"
    path.write_bytes(content)
    for result in (_check(path), _checkin(path)):
        assert result.code == 2 and fragment in result.stderr, result.stderr
    assert path.read_bytes() == content


def test_truncated_database(tmp_path: Path) -> None:
    path = _good(tmp_path / "h.sqlite")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        for _ in range(200):  # make it several pages long
            db.execute(
                "INSERT INTO checkins (kpi, date, confidence) VALUES ('leads', '2026-11-01', ?)", ("x" * 200,)
            )
        db.commit()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert _check(path).code == 2


def test_newer_schema(tmp_path: Path) -> None:
    path = _good(tmp_path / "h.sqlite")
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 99")
    expected = (
        f"kpi: error: {path}: the history database is schema version 99, written by a newer kpi "
        "(this one knows up to 2); upgrade kpi to use it\n"
    )
    assert (_check(path).stderr, _checkin(path).stderr) == (expected, expected)


def test_invalid_rows_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = _good(tmp_path / "h.sqlite")
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO checkins (kpi, date, confidence) VALUES ('leads', 'someday', 'at_risk')")
        db.execute("INSERT INTO checkins (kpi, date, confidence) VALUES ('leads', '2026-11-06', 'very sure')")
    result = _check(path)
    assert result.code == 0
    lines = result.stderr.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        f"kpi: warning: {path}: check-in row 2 skipped: invalid date",
        f"kpi: warning: {path}: check-in row 3 skipped: invalid confidence",
    ]
    assert _check(path).code == 0  # and the next run too


def test_unknown_kpi_in_a_row_does_not_break_the_review(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    record_checkin(path, Checkin(kpi="ghost", date=date(2026, 11, 5), confidence="at_risk"))
    assert _check(path).code == 0


@pytest.mark.parametrize("kind", ["directory", "fifo", "device"])
def test_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    if kind == "directory":
        path, what = tmp_path, "a directory"
    elif kind == "fifo":
        path, what = tmp_path / "fifo", "a named pipe (FIFO)"
        os.mkfifo(path)
    else:
        path, what = Path("/dev/null"), "a character device"
    expected = f"kpi: error: {path}: is {what}, expected a history database\n"
    assert (_check(path).stderr, _checkin(path).stderr) == (expected, expected)


def test_empty_file_becomes_a_history_and_a_foreign_database_is_left_alone(tmp_path: Path) -> None:
    # An empty file is an empty SQLite database: a check stores its run there (issue 11). A database
    # another program wrote (tables, no kpi version, no check-ins) is refused and never extended.
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert _check(empty).code == 0
    with closing(sqlite3.connect(empty)) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    foreign = tmp_path / "foreign.sqlite"
    with closing(sqlite3.connect(foreign)) as db, db:
        db.execute("CREATE TABLE other (x)")
    before = foreign.read_bytes()
    result = _check(foreign)
    assert result.code == 2
    assert result.stderr == (
        f"kpi: error: {foreign}: is a database kpi did not write (tables other); it was left as it is: "
        "name another file with --history\n"
    )
    assert foreign.read_bytes() == before
    assert _check_no_history(foreign).code == 0  # --no-history does not even open it


def _check_no_history(history: Path) -> Result:
    result = invoke_kpi(
        "check", "-c", SAAS, "--as-of", "2026-11-20", "--fail-on", "never", "--history", str(history),
        "--no-history",
    )  # fmt: skip
    assert_contract(result)
    return result


def test_checkins_table_with_other_columns(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE checkins (x)")
    result = _check(path)
    assert result.code == 2 and "cannot use the history database: no such column" in result.stderr


def test_checkin_creates_folders_and_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "h.sqlite"
    result = _checkin(path)
    assert result.code == 0 and path.is_file()
    assert _check(path).code == 0
