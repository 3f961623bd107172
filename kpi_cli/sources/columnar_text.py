"""The text the columnar path hands DuckDB: UTF-8 as it is, or transcoded; its check run beside the scan.

A plain UTF-8 export is checked whole (`encoding.detect_counting_lines`, one pass over the file)
while DuckDB scans it: the pass reads and counts in numpy, both without the GIL, and DuckDB runs
without it, so on a 776 MB export its ~0.25 s overlaps the scan instead of preceding it. The caller
keeps the scan only when the check agrees the file is UTF-8.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from kpi_cli.sources import body
from kpi_cli.sources import encoding as encodings

UTF8 = encodings.Encoding("utf-8", "utf-8", 0)
_TRANSCODE_BLOCK = 1 << 20


class Beside:
    """The whole-file check of a file read as UTF-8, running in a thread until asked for."""

    def __init__(self, checked: Future[tuple[encodings.Encoding, encodings.LineEnds | None]]) -> None:
        self._checked = checked

    def found(self) -> encodings.Encoding:
        """The file's encoding (waits for the check; DataError as `detect` raises it)."""
        return self._checked.result()[0]

    def line_ends(self) -> encodings.LineEnds | None:
        """The file's LF bytes when it is plain UTF-8 (waits for the check)."""
        return self._checked.result()[1]


@contextmanager
def checked_beside(path: Path) -> Iterator[Beside]:
    """The check of `path` started in a thread; the block's end waits for it."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-utf8") as pool:
        yield Beside(pool.submit(encodings.detect_counting_lines, path, None))


@contextmanager
def utf8(path: Path, found: encodings.Encoding) -> Iterator[tuple[Path, body.Text]]:
    """The file itself when it is UTF-8; otherwise a UTF-8 copy, transcoded in blocks, for DuckDB."""
    if found.codec in ("utf-8", "utf-8-sig"):
        yield path, body.text_source(path, found)
        return
    with tempfile.NamedTemporaryFile(suffix=".csv", prefix="kpi-utf8-") as copy:
        decoder = codecs.getincrementaldecoder(found.codec)()
        with path.open("rb") as source:
            source.seek(found.start)
            while block := source.read(_TRANSCODE_BLOCK):
                copy.write(decoder.decode(block).encode("utf-8"))
            copy.write(decoder.decode(b"", final=True).encode("utf-8"))
        copy.flush()
        converted = Path(copy.name)
        yield converted, body.text_source(converted, UTF8)
