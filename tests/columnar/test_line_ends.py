"""The line ends counted on the encoding check's pass, and the columnar path that compares them.

`encoding.detect_counting_lines` counts a plain UTF-8 file's LF bytes while it checks the file is
UTF-8 (issue 12: a second pass over a 776 MB export cost 0.2 s). The reference is Python counting
the whole file's bytes at once; small chunk sizes put chunk ends on and beside the line ends. The
columnar path subtracts the lines above the body and compares the rest with DuckDB's row count: a
record spanning lines or a blank line past the sample must still hand the file back.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kpi_cli.sources import Export, body, columnar, encoding
from tests.columnar.test_agreement import EVERY_DIMENSION, assert_same, both

UTF8 = [
    b"date,cost\n2026-01-01,100\n",
    b"date,cost\n2026-01-01,100",  # no line end at the end
    b"date,cost\r\n2026-01-01,100\r\n\r\n",  # CRLF, a blank line last
    "date,キャンペーン\n2026-01-01,春\n\n".encode(),  # 3-byte characters
    b"",
    b"\n\n\n",
]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
@pytest.mark.parametrize("data", UTF8)
def test_the_count_is_the_whole_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, chunk: int
) -> None:
    monkeypatch.setattr(encoding, "_CHUNK", chunk)
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    found, line_ends = encoding.detect_counting_lines(path, None)
    assert found == encoding.Encoding("utf-8", "utf-8", 0)
    assert line_ends == encoding.LineEnds(data.count(b"\n"), data.endswith(b"\n"))
    text = body.text_source(path, found)
    assert (line_ends.count, line_ends.ends_with_newline) == text.lines_from(0)


@pytest.mark.parametrize(
    ("data", "forced", "name"),
    [
        (codecs.BOM_UTF8 + b"date,cost\n2026-01-01,1\n", None, "utf-8-sig"),
        ("date,費用\n2026-01-01,1\n".encode("cp932"), None, "cp932"),
        (b"date,cost\n2026-01-01,1\n", "utf-8", "utf-8"),  # forced: checked by decoding, not counted
        ("date,cost\n".encode("utf-16"), None, "utf-16"),
    ],
)
def test_other_encodings_leave_the_count_to_the_caller(
    tmp_path: Path, data: bytes, forced: str | None, name: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    found, line_ends = encoding.detect_counting_lines(path, forced)
    assert found.name == name
    assert found == encoding.detect(path, forced)
    assert line_ends is None


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def _rows(count: int, newline: str = "\n") -> str:
    return "".join(f"2026-10-0{1 + i % 2},A,{i}{newline}" for i in range(count))


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        # Two preamble lines above the header (body on line 4): 60 rows read, the count agrees.
        ("Report\nOctober\ndate,campaign,impressions\n" + _rows(60), True),
        ("date,campaign,impressions\r\n" + _rows(60, "\r\n"), True),  # CRLF
        ("date,campaign,impressions\n" + _rows(60).rstrip("\n"), True),  # no line end at the end
        # Past the 50 sniffed lines: a record spanning two lines, a blank line. DuckDB counts one
        # record and skips the blank line where the pandas reader counts lines and names the row.
        ("date,campaign,impressions\n" + _rows(60) + '2026-10-02,"two\nlines",5\n', False),
        ("date,campaign,impressions\n" + _rows(60) + "\n" + _rows(2), False),
        ("Report\ndate,campaign,impressions\n" + _rows(60) + "\n", False),  # a blank line last
    ],
    ids=["preamble", "crlf", "no-final-line-end", "quoted-line-break", "blank-line", "blank-line-last"],
)
def test_the_columnar_path_compares_the_counted_lines_with_the_rows(
    tmp_path: Path, text: str, taken: bool
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode())
    slow, fast, took = both(path, EVERY_DIMENSION)
    assert took is taken
    assert_same(slow, fast, took)
    if taken:
        assert isinstance(fast, Export)
        # Worked by hand: impressions 0..59 on day 1 + i % 2: day 1 = 0+2+...+58 = 870, day 2 900.
        assert fast.frame["impressions"].tolist() == [870.0, 900.0]


def test_a_bom_file_is_counted_on_its_own_text(tmp_path: Path) -> None:
    """UTF-8 with a BOM is not counted on the check's pass: the text's own count still agrees."""
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + ("date,campaign,impressions\n" + _rows(60)).encode())
    slow, fast, took = both(path, EVERY_DIMENSION)
    assert took
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist() == [870.0, 900.0]
    assert_same(slow, fast, took)


# --- the check beside the scan ---------------------------------------------------------------------


def test_a_utf8_file_is_checked_once_in_a_thread_beside_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    calls: list[str] = []
    real = encoding.detect_counting_lines

    def spy(path: Path, forced: str | None) -> tuple[encoding.Encoding, encoding.LineEnds | None]:
        calls.append(threading.current_thread().name)
        return real(path, forced)

    monkeypatch.setattr(encoding, "detect_counting_lines", spy)
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,impressions\n" + _rows(60), encoding="utf-8")
    slow, fast, took = both(path, EVERY_DIMENSION)
    assert took
    assert [name.startswith("kpi-utf8") for name in calls] == [True]
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist() == [870.0, 900.0]
    assert_same(slow, fast, took)


def _past_the_head(tail: bytes) -> bytes:
    """An ASCII head longer than what `starts_as_utf8` reads (64 KB), then `tail` and more rows."""
    head = ("date,campaign,impressions\n" + _rows(4000)).encode()
    assert len(head) > 1 << 16
    return head + tail + _rows(2).encode()


def test_a_legacy_encoding_past_the_head_is_read_again_transcoded(tmp_path: Path) -> None:
    """ASCII for 64 KB, then CP932: the scan as UTF-8 is dropped and the file read as CP932."""
    path = tmp_path / "export.csv"
    path.write_bytes(_past_the_head("2026-10-01,春,5\n".encode("cp932")))
    assert encoding.starts_as_utf8(path)
    slow, fast, took = both(path, EVERY_DIMENSION)
    assert took
    assert isinstance(fast, Export)
    assert fast.encoding == "cp932"
    assert "春" in fast.frame["campaign"].tolist()
    assert_same(slow, fast, took)


def test_a_mixed_file_past_the_head_is_named_by_the_pandas_reader(tmp_path: Path) -> None:
    """UTF-8 Japanese and then CP932 after an ASCII head: refused, naming the line, as before."""
    tail = "2026-10-01,春,5\n".encode() + "2026-10-01,夏,5\n".encode("cp932")
    path = tmp_path / "export.csv"
    path.write_bytes(_past_the_head(tail))
    slow, fast, took = both(path, EVERY_DIMENSION)
    assert not took
    assert isinstance(slow, str)
    assert ":4003:" in slow  # header, 4000 rows, the UTF-8 row: the CP932 row is line 4003
    assert_same(slow, fast, took)


def test_a_bom_or_a_legacy_head_is_not_read_before_its_check(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"date\n")
    assert not encoding.starts_as_utf8(path)
    path.write_bytes("date,費用\n".encode("cp932"))
    assert not encoding.starts_as_utf8(path)
    path.write_bytes(b"date," + "費".encode()[:2])  # a character cut at the end of what is read
    assert encoding.starts_as_utf8(path)


def test_the_check_waits_until_the_scan_is_about_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the scan the reading thread sniffs and plans in Python; the check must not take the
    GIL from it then (columnar_text). The plan (`columnar._scan`) is the last step before it."""
    import threading

    checked = threading.Event()
    planned_before_the_check: list[bool] = []
    real_check, real_plan = encoding.detect_counting_lines, columnar._scan

    def check(path: Path, forced: str | None) -> tuple[encoding.Encoding, encoding.LineEnds | None]:
        checked.set()
        return real_check(path, forced)

    def plan(*args: object) -> object:
        checked.wait(0.2)  # time for a check started early to show itself
        planned_before_the_check.append(not checked.is_set())
        return real_plan(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(encoding, "detect_counting_lines", check)
    monkeypatch.setattr(columnar, "_scan", plan)
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,impressions\n" + _rows(60), encoding="utf-8")
    slow, fast, took = both(path, EVERY_DIMENSION)
    assert took
    assert planned_before_the_check == [True]
    assert checked.is_set()  # and it did run, once the scan started
    assert isinstance(fast, Export)
    assert fast.frame["impressions"].tolist() == [870.0, 900.0]  # as worked by hand above
    assert_same(slow, fast, took)


def test_a_read_that_ends_before_its_scan_does_not_wait_for_a_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error past `failed` (a bug, Ctrl-C) leaves the read at once: the check never runs, and the
    thread pool's end does not wait for a check that waits for a scan."""
    calls: list[Path] = []
    monkeypatch.setattr(encoding, "detect_counting_lines", lambda path, forced: calls.append(path))

    def broken(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(columnar, "_read", broken)
    path = tmp_path / "export.csv"
    path.write_text("date,campaign,impressions\n" + _rows(60), encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        columnar.read(path, [], None, lambda headers: (None, None), EVERY_DIMENSION)  # type: ignore[arg-type,return-value]
    assert calls == []
