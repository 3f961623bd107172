"""The run history under concurrency and kills (issue 11): twenty `kpi check` processes on one
history all stored; a run SIGKILLed inside its write transaction leaves nothing half-stored."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import date
from pathlib import Path

from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.rules.spec import AlertSettings
from kpi_cli.runs.memory import assess, finding_keys
from kpi_cli.runs.store import NewRun, record_run
from tests.hostile.harness import ENV, ROOT, assert_contract, run_kpi
from tests.runs_fixture import write

RUNS = 20


def _env() -> dict[str, str]:
    environment = {**os.environ, **ENV}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    return environment


def _store_one_run(history: str) -> None:
    """What `kpi check` does to the history, in a forked child (kpi already imported: no start-up)."""
    finding = Finding(
        rule="threshold", severity=Severity.FAIL, says=Wording("x"), kpi="leads", code="threshold.min"
    )
    keys = finding_keys([finding], None)
    run = NewRun("runs test", "", "h", date(2026, 11, 30), "2026-11", [], lambda j: {"en": "x"})
    record_run(Path(history), run, lambda seen: assess([finding], keys, seen, lambda f: AlertSettings()))


def _started(args: list[str], count: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(args, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(count)
    ]


def _finished(children: list[subprocess.Popen[bytes]]) -> list[tuple[int, bytes]]:
    outcomes = []
    for child in children:
        _, err = child.communicate(timeout=600)  # twenty start-ups on two cores
        outcomes.append((child.returncode, err))
    return outcomes


def test_twenty_concurrent_runs_on_one_history_are_all_stored(tmp_path: Path) -> None:
    # Twenty processes (forked, so none pays pandas' start-up) storing a run through the same
    # transaction `kpi check` uses; twenty whole `kpi check` processes run in the next test.
    history = tmp_path / "h.sqlite"
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=_store_one_run, args=(str(history),)) for _ in range(RUNS)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0] * RUNS  # none failed "database is locked"
    with closing(sqlite3.connect(history)) as db:
        assert db.execute("SELECT count(*), count(DISTINCT id) FROM runs").fetchone() == (RUNS, RUNS)
        # serialised: exactly one run saw no previous run, each later one saw the one before it
        states = db.execute("SELECT state, streak FROM run_findings ORDER BY run_id").fetchall()
        assert states == [("new", 1)] + [("ongoing", n) for n in range(2, RUNS + 1)]
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_twenty_concurrent_kpi_checks_are_all_stored(tmp_path: Path) -> None:
    """Twenty whole `kpi check` processes at once on one history: none lost, each chained on the one
    stored before it (the first finds the finding new, the nineteen after it ongoing)."""
    config = write(tmp_path, 30)
    history = tmp_path / "h.sqlite"
    args = ["check", "-c", str(config), "--as-of", "2026-11-30", "--history", str(history), "--compact"]
    children = _started([sys.executable, "-m", "kpi_cli", *args], RUNS)
    assert _finished(children) == [(1, b"")] * RUNS
    with closing(sqlite3.connect(history)) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (RUNS,)
        states = db.execute("SELECT state FROM run_findings ORDER BY run_id").fetchall()
    assert states == [("new",)] + [("ongoing",)] * (RUNS - 1)


KILLED_CHILD = """
import sys, time
from kpi_cli.runs import store
real_insert = store._insert
def insert_then_hang(db, run, assessment):
    run_id = real_insert(db, run, assessment)  # rows written, transaction not yet committed
    print("inside the transaction", flush=True)
    time.sleep(60)
    return run_id
store._insert = insert_then_hang
from kpi_cli.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_run_killed_mid_write_then_a_good_run(tmp_path: Path) -> None:
    config = write(tmp_path, 30)
    history = tmp_path / "h.sqlite"
    args = ["check", "-c", str(config), "--as-of", "2026-11-30", "--history", str(history)]
    assert run_kpi(*args, timeout=60).code == 1  # one stored run before
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_CHILD), *args], env=_env(), stdout=subprocess.PIPE
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"inside the transaction\n"
    child.send_signal(signal.SIGKILL)
    assert child.wait(10) == -signal.SIGKILL
    child.stdout.close()
    good = run_kpi(*args, "--format", "json", timeout=60)
    assert_contract(good, json_output=True)
    doc = json.loads(good.stdout)
    assert doc["previous_run"]["id"] == 1 and [f["state"] for f in doc["findings"]] == ["ongoing"]
    with closing(sqlite3.connect(history)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT id FROM runs ORDER BY id").fetchall() == [(1,), (2,)]
        assert db.execute("SELECT run_id, state FROM run_findings ORDER BY run_id").fetchall() == [
            (1, "new"), (2, "ongoing"),
        ]  # fmt: skip
