"""Large exports read in a thread from the moment the config is loaded (issue 12).

A check of a large export used to import everything (pandas, pyarrow, scipy's ufuncs: ~0.5 s on
this 2-core machine) before DuckDB started its scan, and every issue-12 target is a ratio against a
process that imports DuckDB and scans at once. DuckDB's execution releases the GIL, so the imports
can run beside the scan instead: `reading` starts the reads of the files the columnar path will
read (columnar.wanted: large text files read as an aggregate) in one thread, in config order, waits
until DuckDB is scanning (or the read ended), runs `warm` (the imports), and `ingest` then takes
each result with `export_of` where it would have read the file.

What stays as without it:
- The result: the thread calls `read_export` with the very options `ingest` passes (compared when
  taken; a read started with other options is dropped and the file read again).
- Errors: the exception raised in the thread is raised by `export_of`, in the file's turn, so the
  same error (one line, exit 2; with --debug its traceback, the thread's frames included) wins.
  The thread stops at its first error, as the sequential reads did.
- Ctrl-C, or an error in another source: leaving `reading` abandons what was not taken: DuckDB's
  queries are interrupted (`connection.interrupt()`), the interrupted read stops at
  `columnar.read`'s exit instead of falling back to the row-by-row reader, and the thread is
  joined: none runs on. (A file the columnar path had already handed back to that reader is
  read to its end first: it is not interruptible, as it was not without the thread.)
- One read at a time, in the thread: the peak memory of one scan, as before.
Small files (and every file of `inspect`) are read as before, in the command's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kpi_cli.config.loader import LoadedConfig
    from kpi_cli.sources.export import Export

# Between two interrupts of an abandoned read's queries: one sent before DuckDB starts a query is
# not kept for it, so the thread is interrupted again until it has ended.
_INTERRUPT_EVERY_S = 0.05


class Abandoned(BaseException):
    """Ends a read whose result nobody will take. A BaseException so that no reader's
    `except Exception` (columnar.read's fallback to the row-by-row reader) turns it into work."""


@dataclass(eq=False)
class _Planned:
    path: Path
    options: dict[str, Any]
    done: threading.Event = field(default_factory=threading.Event)
    export: Export | None = None
    error: BaseException | None = None


@dataclass(eq=False)
class _Reads:
    """The reads started for one command, and the thread reading them one after another."""

    order: tuple[_Planned, ...]  # the thread's list; `planned` is the command's, emptied as taken
    planned: dict[Path, _Planned] = field(init=False)
    scanning: threading.Event = field(default_factory=threading.Event)
    abandoned: bool = False
    connections: list[Any] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None

    def __post_init__(self) -> None:
        self.planned = {planned.path: planned for planned in self.order}

    def run(self) -> None:
        from kpi_cli.sources import read_export

        _current.reads = self
        try:
            for planned in self.order:
                try:
                    planned.export = read_export(planned.path, **planned.options)
                except BaseException as exc:  # raised again by export_of, in the command's thread
                    planned.error = exc
                    return
                finally:
                    planned.done.set()
        finally:
            self.scanning.set()
            for planned in self.order:
                planned.done.set()  # the files after an error: export_of then reads them itself

    def abandon(self) -> None:
        with self.lock:
            self.abandoned = True
        while self.thread is not None and self.thread.is_alive():
            with self.lock:
                connections = list(self.connections)
            for connection in connections:
                with suppress(Exception):  # closed already (duckdb.ConnectionException): nothing to stop
                    connection.interrupt()
            self.thread.join(_INTERRUPT_EVERY_S)


_current = threading.local()  # `.reads` in the read thread
_started: list[_Reads] = []  # the reads of the command running (one, or none)


@contextmanager
def reading(
    loaded: LoadedConfig,
    dimensions: Collection[str] | None,
    unmapped_sums: bool,
    warm: Callable[[], object],
) -> Iterator[None]:
    """Start the reads of `loaded`'s large exports; once DuckDB scans, `warm()`; on leaving, stop
    and join whatever was not taken."""
    reads = _Reads(_planned(loaded, dimensions, unmapped_sums))
    if reads.order:
        reads.thread = threading.Thread(target=reads.run, name="kpi-prefetch")
        _started.append(reads)
        reads.thread.start()
    try:
        if reads.order:
            reads.scanning.wait()
            warm()
        yield
    finally:
        if reads.order:
            _started.remove(reads)
            reads.abandon()


def export_of(path: Path, options: Mapping[str, Any]) -> Export:
    """`path`'s export: the one the thread read (or its error), else read now."""
    from kpi_cli.sources import read_export

    planned = next((r.planned.pop(path) for r in _started if path in r.planned), None)
    if planned is not None and _same_read(planned.options, options):
        planned.done.wait()
        if planned.error is not None:
            raise planned.error
        if planned.export is not None:
            return planned.export
    return read_export(path, **options)


def _same_read(started: Mapping[str, Any], asked: Mapping[str, Any]) -> bool:
    """The same options, a Grain's month request included: a Grain compares as the frozenset of its
    dimensions, so a read started without `--by`'s monthly sums would otherwise pass for one with."""

    def month_request(options: Mapping[str, Any]) -> tuple[object, object]:
        grain = options.get("dimensions")
        return getattr(grain, "monthly", None), getattr(grain, "through", None)

    return started == asked and month_request(started) == month_request(asked)


def _planned(
    loaded: LoadedConfig, dimensions: Collection[str] | None, unmapped_sums: bool
) -> tuple[_Planned, ...]:
    """The files the columnar path will read, in the order `ingest` reads them."""
    from kpi_cli import ingest
    from kpi_cli.config.models import SourceConfig
    from kpi_cli.sources import columnar

    planned: dict[Path, _Planned] = {}
    for source in loaded.config.sources:
        if not isinstance(source, SourceConfig):
            continue
        try:
            files = ingest.files_of(loaded.base_dir, source)
            options = ingest.export_options(loaded, source, unmapped_sums, dimensions)
        except Exception:  # a missing file: the ordinary read says so, in its turn
            continue
        for path in files:
            if options["totals_range"] is None and columnar.wanted(path, dimensions):
                planned.setdefault(path, _Planned(path, options))  # a file two sources name: once
    return tuple(planned.values())


def connection_opened(connection: Any) -> None:
    """Called by columnar.py for each DuckDB connection it opens: in the read thread, the scan is
    starting (the command may import the rest now), and the connection is one to interrupt."""
    reads: _Reads | None = getattr(_current, "reads", None)
    if reads is None:
        return
    with reads.lock:
        if reads.abandoned:
            raise Abandoned
        reads.connections.append(connection)
    reads.scanning.set()


def stop_if_abandoned() -> None:
    """Called as columnar.read returns: an abandoned read does not go on to the row-by-row reader."""
    reads: _Reads | None = getattr(_current, "reads", None)
    if reads is not None and reads.abandoned:
        raise Abandoned
