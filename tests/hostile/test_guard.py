"""The console script's guard (kpi_cli/guard.py), in real processes: a child killed by a signal.

Each case runs `guard.guarded` over a child function in a fresh interpreter, so the signals are
real: the function kills its own process (a SIGSEGV from os.kill ends a process as a fault in
numpy does: no Python handler runs), returns a status, or waits to be signalled from outside.
"""

from __future__ import annotations

import faulthandler
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kpi_cli import guard
from kpi_cli.exit_codes import ExitCode
from tests.hostile.harness import ROOT, run_kpi

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the guard forks: POSIX only")


def _no_core() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _guarded(body: str, **options: object) -> subprocess.Popen[bytes]:
    """A process whose guarded child runs `body` (Python statements; `return` gives its status)."""
    indented = "\n".join("    " + line for line in body.splitlines())
    code = f"import os, signal, sys, time\nfrom kpi_cli.guard import guarded\ndef child():\n{indented}\nsys.exit(guarded(child))\n"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_no_core,
        **options,  # type: ignore[arg-type]
    )


def _finish(process: subprocess.Popen[bytes]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=30)
    return process.returncode, out.decode(), err.decode()


@pytest.mark.parametrize(
    "killed_by",
    [signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL, signal.SIGABRT, signal.SIGKILL],
)
def test_a_child_killed_by_a_crash_signal_is_exit_3_with_one_line(killed_by: signal.Signals) -> None:
    code, out, err = _finish(_guarded(f"os.kill(os.getpid(), {int(killed_by)})\nreturn 0"))
    assert code == ExitCode.INTERNAL == 3
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"kpi: internal error: the process died by {killed_by.name} (")
    assert lines[0].endswith("; rerun with --debug and report it")


@pytest.mark.parametrize("status", [0, 1, 2, 3, 130])
def test_the_childs_exit_status_passes_through(status: int) -> None:
    code, out, err = _finish(_guarded(f"print('out'); print('err', file=sys.stderr)\nreturn {status}"))
    assert (code, out, err) == (status, "out\n", "err\n")


def test_sigterm_to_the_parent_reaches_the_child_and_ends_both_as_sigterm(tmp_path: Path) -> None:
    """A CI runner cancelling a job signals the process it started, which is the parent."""
    marker = tmp_path / "child.pid"
    process = _guarded(f"open({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(30)\nreturn 0")
    child = _wait_for_pid(marker)
    process.send_signal(signal.SIGTERM)
    code, _, err = _finish(process)
    assert code == -signal.SIGTERM  # as an unguarded kpi would have ended
    assert "internal error" not in err
    with pytest.raises(ProcessLookupError):  # reaped by the parent before it ended
        os.kill(child, 0)


def test_sighup_is_forwarded_too(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    process = _guarded(f"open({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(30)\nreturn 0")
    _wait_for_pid(marker)
    process.send_signal(signal.SIGHUP)
    assert _finish(process)[0] == -signal.SIGHUP


def test_ctrl_c_stops_the_child_as_before_and_the_parent_waits_for_it(tmp_path: Path) -> None:
    """The terminal sends SIGINT to the whole foreground group: the child handles it (kpi says
    `interrupted`, exit 130, as cli.main does) and the parent, which ignores it, passes 130 on."""
    marker = tmp_path / "child.pid"
    process = _guarded(
        f"open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
        "try:\n    time.sleep(30)\nexcept KeyboardInterrupt:\n"
        "    print('interrupted', file=sys.stderr)\n    return 130\nreturn 0",
        start_new_session=True,
    )
    _wait_for_pid(marker)
    os.killpg(process.pid, signal.SIGINT)
    assert _finish(process) == (130, "", "interrupted\n")


def _wait_for_pid(marker: Path) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if marker.exists() and (text := marker.read_text()):
            return int(text)
        time.sleep(0.02)
    raise AssertionError("the child did not start")


def test_unguarded_with_debug_or_kpi_no_guard_or_off_posix() -> None:
    assert guard.wanted(["check", "-c", "x.yaml"], None, "posix")
    assert not guard.wanted(["--debug", "check"], None, "posix")
    assert not guard.wanted(["check"], "1", "posix")
    assert guard.wanted(["check"], "0", "posix")
    assert not guard.wanted(["check"], None, "nt")


def test_with_kpi_no_guard_a_crash_is_the_signal_itself() -> None:
    """What a developer asked for: the process dies where the fault is (here, by hand, SIGSEGV)."""
    code = (
        "import os, signal, sys\nfrom kpi_cli import guard\n"
        "guard._command = lambda: os.kill(os.getpid(), signal.SIGSEGV) or 0\nsys.exit(guard.main())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KPI_NO_GUARD": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        preexec_fn=_no_core,
        check=False,
        timeout=30,
    )
    assert completed.returncode == -signal.SIGSEGV
    assert b"internal error" not in completed.stderr


def test_the_whole_command_runs_through_the_guard() -> None:
    """`python -m kpi_cli` is guarded: statuses 0 and 2 come through with their output."""
    ok = run_kpi("platforms")
    assert ok.code == 0 and ok.stdout and ok.stderr == ""
    bad = run_kpi("check", "-c", "no-such-config.yaml")
    assert bad.code == 2
    assert bad.stderr.startswith("kpi: error: ") and len(bad.stderr.splitlines()) == 1


def test_a_closed_pipe_through_the_guard_ends_quietly() -> None:
    """`kpi check | head -c 1`: the reader leaves after the first byte; the status is the
    evaluation's (the sample config has fail findings: 1), with no traceback from either process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    config = ROOT / "configs" / "saas_leadgen.yaml"
    kpi = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kpi_cli",
            "check",
            "-c",
            str(config),
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert kpi.stdout is not None and kpi.stderr is not None
    assert kpi.stdout.read(1) == b"{"
    kpi.stdout.close()
    err = kpi.stderr.read()
    assert kpi.wait(timeout=60) == 1
    assert b"Traceback" not in err and b"internal error" not in err


@pytest.fixture
def handlers_restored() -> object:
    """`guarded` sets the parent's handlers: this test process gets its own back afterwards."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    yield None
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.usefixtures("handlers_restored")
def test_the_parent_in_this_process(capsys: pytest.CaptureFixture[str]) -> None:
    """The parent's side run here (for coverage): children that end at once, by status or signal."""
    assert guard.guarded(lambda: os._exit(5)) == 5
    assert capsys.readouterr().err == ""
    assert guard.guarded(_floating_point_fault) == 3
    assert capsys.readouterr().err.startswith("kpi: internal error: the process died by SIGFPE (")


def _floating_point_fault() -> int:
    faulthandler.disable()  # pytest's, inherited by the fork: its trace would land in the log
    os.kill(os.getpid(), signal.SIGFPE)
    os._exit(0)


def test_main_runs_the_command_in_process_when_unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(guard.NO_GUARD, "1")
    monkeypatch.setattr(sys, "argv", ["kpi", "platforms"])
    monkeypatch.setattr(guard, "_command", lambda: 7)
    assert guard.main() == 7


def test_the_sigkill_line_says_what_usually_sends_it() -> None:
    assert guard.crash_line(signal.SIGKILL) == (
        "kpi: internal error: the process died by SIGKILL (Killed: out of memory, or killed from outside); "
        "rerun with --debug and report it"
    )
