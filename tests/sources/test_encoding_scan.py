"""The UTF-8 check over a whole file, read in chunks, against Python decoding the file at once.

`_first_utf8_error` skips chunks that are pure ASCII without decoding them (issue 12: decoding a
775 MB export took 1.5 s, `isascii` 0.17 s). The reference is `bytes.decode` of the whole file:
the offset of its first error, or None when it decodes. Small chunk sizes put chunk boundaries
inside multi-byte characters, next to ASCII-only chunks, and on the bad byte itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.sources import encoding

SAMPLES = [
    b"date,cost\n2026-01-01,100\n",  # ASCII only
    "date,キャンペーン\n2026-01-01,春\n".encode(),  # valid UTF-8, 3-byte characters
    b"date,cost\n" * 5 + "費用".encode() + b"\n" * 9 + b"x\xff\n",  # bad byte after UTF-8
    b"a" * 40 + "é".encode() + b"b" * 40 + b"\x82\xa0",  # CP932 bytes at the very end
    b"a" * 33 + "日".encode()[:2],  # a character cut off by the end of the file
    b"\x93\xfa\x95t,cost\n",  # CP932 from the first byte
    b"abc" * 20 + b"\xe6\x97" + b"abc",  # a truncated character between ASCII runs
]


def _reference(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return None


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 16, 1 << 20])
@pytest.mark.parametrize("data", SAMPLES)
def test_first_error_matches_whole_decode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, chunk: int
) -> None:
    monkeypatch.setattr(encoding, "_CHUNK", chunk)
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    assert encoding._first_utf8_error(path) == _reference(data)
