"""A large export's read runs in a thread from the moment the config is loaded (sources/prefetch.py).

The sample exports are small, so the size above which the columnar path (and so the thread) reads
a file is lowered to 0; "without the thread" is the same run with no read planned, which is the
sequential read every command did before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from kpi_cli import sources
from kpi_cli.cli import app
from kpi_cli.config import load_config
from kpi_cli.errors import DataError
from kpi_cli.review import dimensions_used
from kpi_cli.sources import columnar, prefetch

ROOT = Path(__file__).resolve().parents[2]
ENV = {"COLUMNS": "160", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
CHECK = ("check", "--as-of", "2026-11-20", "--fail-on", "never", "--no-history", "--format", "json")
THREAD = "kpi-prefetch"


@pytest.fixture(autouse=True)
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "MIN_BYTES", 0)


def threads_reading(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(file name, thread name) of each read_export from now on."""
    seen: list[tuple[str, str]] = []
    real = sources.read_export

    def spy(path: Path, **options: Any) -> sources.Export:
        seen.append((Path(path).name, threading.current_thread().name))
        return real(path, **options)

    monkeypatch.setattr(sources, "read_export", spy)
    return seen


def no_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan no read: every file is read in the command's thread, one after another."""
    monkeypatch.setattr(prefetch, "_planned", lambda *args: ())


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), env=ENV)


@pytest.mark.parametrize("config", ["saas_leadgen.yaml", "b2c_influencer.yaml"])
@pytest.mark.parametrize(
    "command",
    [
        CHECK,
        ("review", "--as-of", "2026-11-20"),
        ("validate",),
        ("plan", "--as-of", "2026-11-20"),
        ("compare", "--by", "segment", "--as-of", "2026-11-20", "--format", "json"),
    ],
)
def test_the_output_is_the_same_with_the_reads_in_the_thread(
    monkeypatch: pytest.MonkeyPatch, config: str, command: tuple[str, ...]
) -> None:
    args = (command[0], "-c", str(ROOT / "configs" / config), *command[1:])
    seen = threads_reading(monkeypatch)
    threaded = invoke(*args)
    assert threaded.exit_code in (0, 1), threaded.output
    in_thread = {name for name, thread in seen if thread == THREAD}
    assert in_thread and all(thread == THREAD for _, thread in seen)  # every file here is planned
    seen.clear()
    with monkeypatch.context() as sequential:
        no_thread(sequential)
        alone = invoke(*args)
    assert {thread for _, thread in seen} == {"MainThread"}
    assert (threaded.exit_code, threaded.stdout) == (alone.exit_code, alone.stdout)
    assert not [t for t in threading.enumerate() if t.name == THREAD]  # none left running


def _bad_config(tmp_path: Path) -> Path:
    """A config whose second file has a cell no reader reads: line 3, column `clicks`."""
    (tmp_path / "a.csv").write_text("date,impressions,clicks\n2026-11-01,100,5\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(
        "date,impressions,clicks\n2026-11-01,100,5\n2026-11-02,100,five\n", encoding="utf-8"
    )
    (tmp_path / "kpi.yaml").write_text(
        "version: 1\nname: bad\nsources:\n"
        "  - {name: a, path: a.csv, platform: generic}\n"
        "  - {name: b, path: b.csv, platform: generic}\n"
        "kgi: {name: Clicks, metric: clicks, target: 100, start: '2026-01-01', deadline: '2026-12-31', owner: me}\n"
        "kpis:\n  - {id: clicks, metric: clicks, target: 10, owner: me, review_by: '2026-12-31'}\n",
        encoding="utf-8",
    )
    return tmp_path / "kpi.yaml"


def test_an_error_in_the_thread_is_the_error_of_the_sequential_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = _bad_config(tmp_path)
    seen = threads_reading(monkeypatch)
    threaded = invoke(*CHECK[:1], "-c", str(config), *CHECK[1:])
    assert ("b.csv", THREAD) in seen
    with monkeypatch.context() as sequential:
        no_thread(sequential)
        alone = invoke(*CHECK[:1], "-c", str(config), *CHECK[1:])
    assert threaded.exit_code == alone.exit_code == 2
    assert threaded.stderr == alone.stderr
    assert "b.csv" in threaded.stderr and "five" in threaded.stderr and threaded.stderr.count("\n") == 1


def test_with_debug_the_traceback_shows_where_the_thread_raised(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = _bad_config(tmp_path)
    done = invoke("--debug", *CHECK[:1], "-c", str(config), *CHECK[1:])
    assert isinstance(done.exception, DataError) and "five" in str(done.exception)
    frames = [frame.name for frame in traceback.extract_tb(done.exception.__traceback__)]
    assert "export_of" in frames  # raised again in the command's turn ...
    assert "run" in frames and "read_export" in frames  # ... with the thread's own frames below it


def _endless_read(started: threading.Event) -> Any:
    """A read_export whose DuckDB query runs for minutes unless interrupted."""

    def read(path: Path, **options: Any) -> sources.Export:
        connection = duckdb.connect()
        prefetch.connection_opened(connection)
        started.set()
        connection.execute("SELECT sum(hash(range)) FROM range(100000000000)").fetchall()
        raise AssertionError("the query was not interrupted")

    return read


@pytest.mark.parametrize("stop", [KeyboardInterrupt, DataError])
def test_leaving_early_interrupts_duckdb_and_joins_the_thread(
    monkeypatch: pytest.MonkeyPatch, stop: type[BaseException]
) -> None:
    """Ctrl-C (or another source's error) while the thread scans: DuckDB is interrupted, the
    thread ends, and the command's own exception is the one that propagates."""
    started = threading.Event()
    monkeypatch.setattr(sources, "read_export", _endless_read(started))
    loaded = load_config(ROOT / "configs" / "saas_leadgen.yaml")
    began = time.monotonic()
    with pytest.raises(stop), prefetch.reading(loaded, dimensions_used(loaded.config), False, lambda: None):
        assert started.wait(30)
        raise stop("stopped")
    assert time.monotonic() - began < 20  # minutes without the interrupt
    assert not [t for t in threading.enumerate() if t.name == THREAD]


def test_an_abandoned_read_stops_at_the_columnar_read_and_opens_no_more_connections() -> None:
    """A read given up while DuckDB was not running (its query interrupted before it started, or
    the file handed back to the row-by-row reader) stops there, not in the pandas reader."""
    reads = prefetch._Reads(())
    reads.abandoned = True
    raised: list[type[BaseException]] = []

    def in_the_thread() -> None:
        prefetch._current.reads = reads
        for step in (lambda: prefetch.connection_opened(object()), prefetch.stop_if_abandoned):
            try:
                step()
            except prefetch.Abandoned as exc:
                raised.append(type(exc))

    worker = threading.Thread(target=in_the_thread)
    worker.start()
    worker.join()
    assert raised == [prefetch.Abandoned, prefetch.Abandoned]
    assert reads.connections == []
    prefetch.stop_if_abandoned()  # another thread: nothing to stop


_FIRST_SCAN = """
import json, sys, threading
from kpi_cli.sources import columnar
columnar.MIN_BYTES = 0
seen = []
real = columnar.connection_opened
def probe(connection):
    seen.append([threading.current_thread().name, [m for m in ("pandas", "scipy", "rich") if m in sys.modules]])
    real(connection)
columnar.connection_opened = probe
from kpi_cli.cli import main
code = main(sys.argv[1:])
print(json.dumps([seen, "pandas" in sys.modules]), file=sys.stderr)
raise SystemExit(code)
"""


def test_the_scan_starts_before_pandas_is_imported() -> None:
    """The point of the thread: DuckDB scans while pandas, scipy's ufuncs and rich import."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_SCAN, *CHECK[:1], "-c", "configs/saas_leadgen.yaml", *CHECK[1:]],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen, pandas_at_end = json.loads(done.stderr.strip().splitlines()[-1])
    assert seen[0] == [THREAD, []]
    assert pandas_at_end  # the probe would see it: the check computes with pandas


def test_a_by_campaign_check_takes_the_threads_monthly_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread starts the read with the review's own grain (campaign summed by month): the
    command takes it, reads nothing again, and prints what the sequential reads print."""
    from tests.columnar.test_by_month import config, rows, write

    write(tmp_path / "by.csv", rows())
    args = ("check", "-c", str(config(tmp_path)), "--by", "campaign", *CHECK[1:])
    seen: list[tuple[str, object, bool]] = []
    real = sources.read_export

    def spy(path: Path, **options: Any) -> sources.Export:
        export = real(path, **options)
        monthly = getattr(options["dimensions"], "monthly", None)
        seen.append((threading.current_thread().name, monthly, export.by_month is not None))
        return export

    monkeypatch.setattr(sources, "read_export", spy)
    threaded = invoke(*args)
    assert threaded.exit_code in (0, 1), threaded.output
    assert seen == [(THREAD, "campaign", True)]
    seen.clear()
    no_thread(monkeypatch)
    sequential = invoke(*args)
    assert seen == [("MainThread", "campaign", True)]
    assert threaded.stdout == sequential.stdout
