"""The console script's guard: a native crash is exit 3 with one line, never 139 (issue 7).

A fault inside numpy, DuckDB or pyarrow (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) kills the
process before any Python handler runs: the shell sees 128 + N, which a CI gate cannot tell from
an ordinary failure, and nothing says it is a bug. numpy 2.4's StringDType unique did exactly that
on a timed export (date_codes.py avoids it now). So the console script forks before anything heavy
is imported: the child runs the command as before, the parent only waits, and maps a death by
such a signal to `kpi: internal error: ...; rerun with --debug and report it`, exit 3.

What the parent does not change:
- Exit statuses pass through (0, 1, 2, 3, 130).
- Ctrl-C: the terminal signals the whole process group; the child says `interrupted` and exits
  130, as without the guard. The parent ignores SIGINT so that it does not die before its child.
- SIGTERM and SIGHUP (a CI runner cancelling a job, a closed terminal) are passed to the child;
  a child ended by SIGINT, SIGTERM or SIGHUP ends the parent by the same signal, so the caller
  sees what it would have seen without the guard.
- Peak memory: `/usr/bin/time` and RUSAGE_CHILDREN report the largest of the process and the
  descendants it waited for, i.e. the child's.
It costs one fork of a process that has imported only this module (~1 ms; README, Exit codes).

The process then ends without tearing the interpreter down (`run`, `exit_now`): Python's own exit
frees pandas, numpy, pyarrow, scipy and DuckDB module by module and object by object, ~0.15 s of a
1.7 s check of a 1M-row export (README, Benchmarks), for a process that is ending anyway. What the
exit does for the user still happens: the atexit functions run (coverage's data, the cleanup of
temporary folders, logging's flush) and the streams are flushed. A thread still at work (none is,
after a command) gets Python's ordinary exit, which waits for it.

Not guarded: Windows (no fork), `--debug` and `KPI_NO_GUARD=1`. A developer chasing a crash wants
it where it happens: with `--debug` Python's fault handler prints the Python stack of every thread
and the process ends by the signal (a core dump where the system keeps them). In-process callers
(`kpi_cli.cli.main`, CliRunner in tests) never pass here.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import NoReturn

from kpi_cli import blas

# A child ended by one of these was stopped from outside, not broken: the parent ends the same way.
_STOPS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
# Passed on to the child when the parent receives them (SIGINT reaches the child from the terminal).
_FORWARDED = (signal.SIGTERM, signal.SIGHUP)
NO_GUARD = "KPI_NO_GUARD"


def run() -> NoReturn:
    """The `kpi` console script and `python -m kpi_cli`: `main`, then the process ends at once."""
    status = main()
    if "--debug" in sys.argv[1:]:
        raise SystemExit(status)  # a developer's run ends as Python ends it: every warning, every __del__
    exit_now(status)


def exit_now(status: int) -> NoReturn:
    """End the process with `status` without the interpreter's teardown (the module docstring)."""
    main_thread = threading.main_thread()
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not main_thread):
        raise SystemExit(status)  # Python's exit joins the thread; os._exit would kill it mid-work
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken stream: nothing more to say
            stream.flush()
    os._exit(status)


def main() -> int:
    """The `kpi` console script and `python -m kpi_cli`: the command, guarded where it can be."""
    blas.one_thread(os.environ)  # before numpy loads (blas.py)
    args = sys.argv[1:]
    if not wanted(args, os.environ.get(NO_GUARD), os.name):
        if "--debug" in args:
            import faulthandler

            faulthandler.enable()
        return _command()
    return guarded(_command)


def wanted(args: list[str], no_guard: str | None, os_name: str) -> bool:
    """Whether to run the command in a guarded child process."""
    return os_name == "posix" and no_guard != "1" and "--debug" not in args


def _command() -> int:
    from kpi_cli.cli import main as cli_main

    return cli_main()


def guarded(command: Callable[[], int]) -> int:
    """`command` in a forked child; its exit status, or 3 and one line when a signal killed it.

    In the child this returns the command's own status (the caller exits with it, flushing the
    streams as usual); in the parent, once the child has ended.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    # Held until the parent's handlers are in place: a SIGTERM between the fork and them would
    # end the parent alone and leave the child running.
    signal.pthread_sigmask(signal.SIG_BLOCK, _FORWARDED)
    child = os.fork()
    if child == 0:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _FORWARDED)
        return command()
    return _wait(child)


def _wait(child: int) -> int:
    def forward(signum: int, _frame: object) -> None:
        os.kill(child, signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in _FORWARDED:
        signal.signal(signum, forward)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _FORWARDED)
    # waitpid is retried after a handler runs (PEP 475)
    _, status = os.waitpid(child, 0)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    killed_by = signal.Signals(os.WTERMSIG(status))
    if killed_by in _STOPS:
        signal.signal(killed_by, signal.SIG_DFL)
        os.kill(os.getpid(), killed_by)
        return 128 + killed_by  # not reached: the signal ends this process
    print(crash_line(killed_by), file=sys.stderr, flush=True)
    return 3  # ExitCode.INTERNAL, not imported here: exit_codes pulls in the findings model


def crash_line(killed_by: signal.Signals) -> str:
    """The internal-error line for a child killed by `killed_by` (cli.internal_error_line's form)."""
    described = signal.strsignal(killed_by) or killed_by.name
    if killed_by == signal.SIGKILL:
        described += ": out of memory, or killed from outside"
    return f"kpi: internal error: the process died by {killed_by.name} ({described}); rerun with --debug and report it"
