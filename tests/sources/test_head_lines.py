"""`body.head_lines` reads the first lines in growing chunks; what it returns must be what reading
HEAD_BYTES at once and splitting every line gives (the simple reading, written out here)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.errors import DataError
from kpi_cli.sources import body


def whole_read(data: bytes, head_bytes: int, lines: int) -> list[bytes] | None:
    """The first `lines` complete lines of data[:head_bytes], or None when the first line is cut."""
    raw = data[:head_bytes]
    parts = raw.split(b"\n")
    if len(data) > head_bytes:
        parts.pop()  # cut at the limit
        if not parts:
            return None
    elif parts and parts[-1] == b"":
        parts.pop()
    return parts[:lines]


def text_of(path: Path, data: bytes) -> body.Text:
    path.write_bytes(data)
    return body.Text(path=path, codec="utf-8", start=0, newline=b"\n")


lines_st = st.lists(st.binary(max_size=9).map(lambda b: b.replace(b"\n", b"x")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(lines=lines_st, trailing=st.booleans(), head=st.integers(1, 200), sniff=st.integers(1, 12))
def test_same_lines_and_offsets_as_the_whole_read(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], trailing: bool, head: int, sniff: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if trailing and lines else b"")
    path = tmp_path_factory.mktemp("head") / "export.csv"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(body, "HEAD_BYTES", head)
        patch.setattr(body, "SNIFF_LINES", sniff)
        expected = whole_read(data, head, sniff)
        if expected is None:
            with pytest.raises(DataError, match="first line is longer"):
                body.head_lines(text_of(path, data))
            return
        got, offsets = body.head_lines(text_of(path, data))
    assert got == [line.decode("utf-8", "replace") for line in expected]
    starts = [0]
    for line in expected:
        starts.append(starts[-1] + len(line) + 1)
    assert offsets == starts


def test_a_large_file_is_not_read_to_the_limit(tmp_path: Path) -> None:
    """50 lines of a 20 MB file: the bytes read stop in the first chunk, far below HEAD_BYTES."""
    data = b"".join(b"2026-01-%02d,Campaign,%d\n" % (1 + i % 28, i) for i in range(1_000_000))
    text = text_of(tmp_path / "big.csv", data)
    reads: list[int] = []
    real_open = body.Text.open

    def counting_open(self: body.Text) -> BinaryIO:
        handle = real_open(self)
        real_read = handle.read

        def read(size: int = -1) -> bytes:
            chunk = real_read(size)
            reads.append(len(chunk))
            return chunk

        handle.read = read  # type: ignore[method-assign]
        return handle

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(body.Text, "open", counting_open)
        got, _ = body.head_lines(text)
    assert len(got) == body.SNIFF_LINES
    assert got[0] == "2026-01-01,Campaign,0"
    assert sum(reads) <= 1 << 16
