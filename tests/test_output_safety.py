"""Untrusted text, the one JSON serializer and the atomic writer."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from kpi_cli.errors import UsageError
from kpi_cli.files import write_atomic
from kpi_cli.jsonio import dumps, safe
from kpi_cli.untrusted import clean, excerpt, one_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "]8;;http://evil\\click]8;;\\"),
        ("\x1b[2Jcleared", "[2Jcleared"),
        ("title\x1b]0;pwned\x07", "title]0;pwned"),
        ("a\u202eevil\u202cb", "aevilb"),  # right-to-left override and its pop
        ("\u2066isolate\u2069", "isolate"),
        ("nul\x00byte", "nulbyte"),
        ("c1\x9bcsi", "c1csi"),
        ("keeps\ttab\nand newline", "keeps\ttab\nand newline"),
        ("crlf\r\nand cr\r", "crlf\nand cr\n"),
        ("日本語はそのまま", "日本語はそのまま"),
    ],
)
def test_clean_removes_what_steers_a_terminal(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_one_line_folds_and_cuts() -> None:
    assert one_line("a\n  b\tc ") == "a b c"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"
    assert excerpt("1,2\x1b[31m3" + "9" * 100, 8) == "'1,2[31m…'"


def test_clean_replaces_lone_surrogates() -> None:
    assert clean("a\udc80b") == "a?b"


def test_safe_json_has_no_bare_nan_or_infinity() -> None:
    doc = {"a": math.nan, "b": [math.inf, -math.inf], "c": np.float64(1.5), "d": np.int64(3), "e": (1, 2)}
    assert safe(doc) == {"a": None, "b": [None, None], "c": 1.5, "d": 3, "e": [1, 2]}
    text = dumps({"x": np.float64("nan")})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(c)) == {"x": None}


def test_dumps_refuses_what_safe_cannot_make_plain() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_write_atomic_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, "新しい")
    assert target.read_text(encoding="utf-8") == "新しい"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("previous report", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(UsageError, match=r"--output: cannot write .*report\.json: No space left on device"):
        write_atomic(target, "half a new report")
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_write_atomic_into_a_missing_folder_or_onto_a_folder(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="No such file or directory"):
        write_atomic(tmp_path / "nope" / "r.json", "x")
    with pytest.raises(UsageError, match="is a directory"):
        write_atomic(tmp_path, "x")


def test_check_regular_file_refuses_by_kind_before_opening(tmp_path: Path) -> None:
    from kpi_cli.errors import DataError
    from kpi_cli.files import check_regular_file

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match=r"pipe: is a named pipe \(FIFO\), expected a source file"):
        check_regular_file(fifo, DataError, "source file")
    with pytest.raises(DataError, match="is a directory, expected a source file"):
        check_regular_file(tmp_path, DataError, "source file")
    with pytest.raises(DataError, match="is a character device"):
        check_regular_file(Path("/dev/zero"), DataError, "source file")
    with pytest.raises(DataError, match=r"nope\.csv: source file not found"):
        check_regular_file(tmp_path / "nope.csv", DataError, "source file")
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 11)
    with pytest.raises(DataError, match="the source file is 11 bytes, more than the 10 allowed"):
        check_regular_file(big, DataError, "source file", max_bytes=10)
    assert check_regular_file(big, DataError, "source file") == 11


def test_json_strings_are_cleaned_keys_and_values() -> None:
    doc = {"hea\u202eder\x1b[2J": ["ok\nline", "bidi\u2066x"]}
    assert safe(doc) == {"header[2J": ["ok\nline", "bidix"]}
