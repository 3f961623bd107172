"""The console script ends without the interpreter's teardown (guard.run, guard.exit_now), in real processes.

Each case runs `guard.run` in a fresh interpreter whose `main` is replaced by the case's own, so
what is checked is the exit itself: the status, the streams, the atexit functions, and that the
teardown (here: a module-level object's `__del__`, which Python's exit calls) is skipped only when
it can be. The same script under `--debug` is the control: it shows the teardown does print, so a
missing line means the teardown was skipped, not that the probe is deaf.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.hostile.harness import ROOT, run_kpi

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the guard forks: POSIX only")

_PROBE = """
import atexit, sys, threading, time
from kpi_cli import guard

class Teardown:
    def __del__(self):
        sys.stdout.write("teardown ran\\n")

probe = Teardown()  # freed by the interpreter's teardown, and only by it
atexit.register(lambda: sys.stdout.write("atexit ran\\n"))
"""


def _run(main_body: str, *args: str) -> tuple[int, str, str]:
    """A process whose `kpi` main is `main_body` (statements ending in `return STATUS`), run by guard.run."""
    indented = "\n".join("    " + line for line in main_body.splitlines())
    code = f"{_PROBE}\ndef main():\n{indented}\nguard.main = main\nsys.argv = ['kpi', *{list(args)!r}]\nguard.run()\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KPI_NO_GUARD": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    return done.returncode, done.stdout, done.stderr


def test_the_status_passes_and_atexit_runs_but_the_teardown_does_not() -> None:
    code, out, err = _run("print('the report')\nreturn 7", "check")
    assert (code, err) == (7, "")
    assert out == "the report\natexit ran\n"


def test_under_debug_the_process_ends_as_python_ends_it() -> None:
    """The control: the same probe does see the teardown when the process ends the ordinary way."""
    code, out, _ = _run("print('the report')\nreturn 7", "check", "--debug")
    assert code == 7
    assert out == "the report\natexit ran\nteardown ran\n"


def test_written_but_unflushed_output_is_not_lost() -> None:
    # 2 MB without a newline: it sits in the stream's buffer until the exit flushes it
    code, out, _ = _run("sys.stdout.write('x' * 2_000_000)\nreturn 0")
    assert code == 0
    assert out == "x" * 2_000_000 + "atexit ran\n"


def test_a_thread_still_at_work_is_waited_for() -> None:
    """os._exit would kill it mid-work: the process takes Python's ordinary exit, which joins it."""
    body = (
        "def late():\n    time.sleep(0.3)\n    sys.stdout.write('thread done\\n')\n"
        "threading.Thread(target=late).start()\nreturn 0"
    )
    code, out, _ = _run(body)
    assert code == 0
    assert out.splitlines() == ["thread done", "atexit ran", "teardown ran"]


def test_a_daemon_thread_does_not_hold_the_exit() -> None:
    body = "threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\nreturn 0"
    code, out, _ = _run(body)
    assert (code, out) == (0, "atexit ran\n")


def test_the_console_script_path_gives_what_the_command_gives_in_process(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A whole check through `python -m kpi_cli` (guarded child, then exit_now) against the same
    command run in this process, which ends no process: the same JSON, byte for byte, and status."""
    from kpi_cli.cli import main

    args = ("check", "-c", str(ROOT / "configs" / "saas_leadgen.yaml"), "--as-of", "2026-11-20")
    args += ("--format", "json", "--no-history")
    expected_code = main(list(args))
    expected = capsys.readouterr().out
    result = run_kpi(*args)
    assert (result.code, result.stdout, result.stderr) == (expected_code, expected, ""), result.describe()
    assert json.loads(expected)["findings"]  # the sample's check has findings to lose


class _Exited(Exception):
    """What the test's os._exit raises instead of ending the test process."""


def test_exit_now_in_this_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same steps, observed in this process (for coverage): atexit, then the flush, then os._exit."""
    from kpi_cli import guard

    steps: list[str] = []

    def fake_exit(status: int) -> None:
        steps.append(f"os._exit({status})")
        raise _Exited

    monkeypatch.setattr(guard.atexit, "_run_exitfuncs", lambda: steps.append("atexit"))
    monkeypatch.setattr(guard.os, "_exit", fake_exit)
    monkeypatch.setattr(guard, "main", lambda: 2)
    monkeypatch.setattr(sys, "argv", ["kpi", "check"])
    with pytest.raises(_Exited):
        guard.run()
    assert steps == ["atexit", "os._exit(2)"]
    monkeypatch.setattr(sys, "argv", ["kpi", "check", "--debug"])
    with pytest.raises(SystemExit) as ended:
        guard.run()
    assert ended.value.code == 2
    assert steps == ["atexit", "os._exit(2)"]  # --debug: neither step
