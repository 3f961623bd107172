"""Run `kpi` on hostile input in a child process with time and memory limits, and check the contract.

The contract for any input, however broken: exit 0 (or 1, a finding reached --fail-on) with
output a reader can trust, or exit 2 with one line per problem on stderr, each starting `kpi: error: `.
Never a traceback, never exit 3 (a bug), never an escape byte in any output, never past the limits.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 20.0  # seconds per case, wall clock (start-up with pandas takes ~1 s)
MEMORY_LIMIT = 1024 * 1024 * 1024  # bytes of address space per case
# One BLAS thread: its per-thread buffers would otherwise eat the address-space limit.
ENV = {"COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    args: tuple[str, ...]

    def describe(self) -> str:
        return f"kpi {' '.join(self.args)} -> {self.code}\nstdout: {self.stdout[-500:]!r}\nstderr: {self.stderr[-500:]!r}"


def _limits(memory: int, close_stdin: bool = False) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if close_stdin:
        os.close(0)


def run_kpi(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    timeout: float = TIME_LIMIT,
    memory: int = MEMORY_LIMIT,
    close_stdin: bool = False,
) -> Result:
    """`python -m kpi_cli ARGS` in a child process; a case past its time limit fails the test.

    `close_stdin` starts the child with file descriptor 0 closed (cron, some CI runners)."""
    environment = {**os.environ, **ENV, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    completed = subprocess.run(
        [sys.executable, "-m", "kpi_cli", *args],
        cwd=cwd or ROOT,
        env=environment,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        preexec_fn=lambda: _limits(memory, close_stdin),
        check=False,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
        args,
    )


class CaseTimeout(BaseException):  # BaseException: kpi's `except Exception` cannot catch it
    """An in-process case ran past its time limit."""


IN_PROCESS_TIME_LIMIT = 10  # seconds; whole seconds because signal.alarm takes an int


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise CaseTimeout(f"case ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _environment(env: dict[str, str | None]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in env}
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def invoke_kpi(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str | None] | None = None,
    timeout: int = IN_PROCESS_TIME_LIMIT,
) -> Result:
    """`kpi ARGS` in this process (no ~1 s pandas start-up per case) under a time limit.

    For the cases where a real process does not matter; resource bombs, encodings and pipes go
    through `run_kpi`. The alarm raises a BaseException so no `except Exception` in kpi swallows it.
    """
    from kpi_cli.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(_alarm(timeout))
        stack.enter_context(_environment({**ENV, **(env or {})}))
        if cwd is not None:
            stack.enter_context(contextlib.chdir(cwd))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue(), args)


def assert_contract(result: Result, *, json_output: bool = False) -> None:
    """Exit 0/1 with clean (and, for JSON, valid) output, or exit 2 with one `kpi: error:` line."""
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert "\x1b" not in text, f"escape byte in {name}\n{result.describe()}"
        assert "Traceback" not in text, f"traceback in {name}\n{result.describe()}"
    if result.code == 2:
        # One line per problem (a broken config may have several), each a `kpi: error:` line;
        # `kpi: warning:` lines (a skipped history row) may come before them.
        lines = result.stderr.split("\n")
        assert lines[-1] == "" and len(lines) >= 2, result.describe()
        errors = [line for line in lines[:-1] if not line.startswith("kpi: warning: ")]
        assert errors and all(line.startswith("kpi: error: ") for line in errors), result.describe()
        return
    assert result.code in (0, 1), result.describe()
    if json_output:
        try:
            json.loads(result.stdout, parse_constant=_no_constant)
        except ValueError as exc:
            raise AssertionError(f"invalid JSON ({exc})\n{result.describe()}") from None


def _no_constant(name: str) -> None:
    raise ValueError(f"bare {name}")
