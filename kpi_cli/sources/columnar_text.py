"""The text the columnar path hands DuckDB: UTF-8 as it is, or transcoded; its check run beside the scan.

A plain UTF-8 export is checked whole (`encoding.detect_counting_lines`, one pass over the file)
while DuckDB scans it: the pass reads and counts in numpy, both without the GIL, and DuckDB runs
without it, so on a 776 MB export its ~0.25 s overlaps the scan instead of preceding it. The caller
keeps the scan only when the check agrees the file is UTF-8.

The check waits for the scan to start (`Beside.start`): before it, the reading thread sniffs the
header and builds the SQL in Python, and the check's first steps (importing numpy, reading the
first chunks) would take the GIL from it and start DuckDB later (~75 ms on a Meta 1M check).
"""

from __future__ import annotations

import codecs
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from kpi_cli.sources import body
from kpi_cli.sources import encoding as encodings

UTF8 = encodings.Encoding("utf-8", "utf-8", 0)
_TRANSCODE_BLOCK = 1 << 20


class Beside:
    """The whole-file check of a file read as UTF-8, run in a thread once the scan starts."""

    def __init__(self, pool: ThreadPoolExecutor, path: Path) -> None:
        self._go = threading.Event()
        self._needed = True
        self._checked = pool.submit(self._check, path)

    def _check(self, path: Path) -> tuple[encodings.Encoding, encodings.LineEnds | None]:
        self._go.wait()
        if not self._needed:
            return UTF8, None  # the read ended before its scan: nobody asks
        return encodings.detect_counting_lines(path, None)

    def start(self) -> None:
        """The scan is starting: the check may take its share of the machine now."""
        self._go.set()

    def found(self) -> encodings.Encoding:
        """The file's encoding (waits for the check; DataError as `detect` raises it)."""
        self.start()
        return self._checked.result()[0]

    def line_ends(self) -> encodings.LineEnds | None:
        """The file's LF bytes when it is plain UTF-8 (waits for the check)."""
        self.start()
        return self._checked.result()[1]

    def skip_if_not_started(self) -> None:
        """The read is over: a check not yet started never runs (the pool's end waits for it)."""
        if not self._go.is_set():
            self._needed = False
            self._go.set()


@contextmanager
def checked_beside(path: Path) -> Iterator[Beside]:
    """The check of `path`, in a thread that starts it at `Beside.start`; the block's end waits for it."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kpi-utf8") as pool:
        beside = Beside(pool, path)
        try:
            yield beside
        finally:
            beside.skip_if_not_started()


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
