"""One OpenBLAS thread in the `kpi` process (kpi_cli/blas.py), counted in real interpreters."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kpi_cli import blas, guard
from tests.hostile.harness import ROOT

# Loads numpy (and with it OpenBLAS, which starts its threads as it loads) and prints how many
# threads the process has: /proc lists one task per thread.
_THREADS_AFTER_NUMPY = "import os, numpy; print(len(os.listdir('/proc/self/task')))"


def _threads(env: dict[str, str]) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _THREADS_AFTER_NUMPY],
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(done.stdout)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="threads counted in /proc (Linux)")
def test_numpy_loads_without_blas_threads_once_the_variable_is_set() -> None:
    others = {k: v for k, v in os.environ.items() if k != blas.VARIABLE}
    configured = dict(others)
    blas.one_thread(configured)
    assert _threads(configured) == 1
    if (os.cpu_count() or 1) > 1:  # the default: OpenBLAS starts a thread for each other core
        assert _threads(others) > 1


def test_a_value_the_user_chose_is_kept() -> None:
    environ = {blas.VARIABLE: "4"}
    blas.one_thread(environ)
    assert environ == {blas.VARIABLE: "4"}
    unset: dict[str, str] = {}
    blas.one_thread(unset)
    assert unset == {blas.VARIABLE: "1"}


def test_the_console_script_sets_it_before_the_command_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []
    monkeypatch.setenv(blas.VARIABLE, "")  # recorded, so that the value guard.main sets is undone too
    monkeypatch.delenv(blas.VARIABLE)
    monkeypatch.setenv(guard.NO_GUARD, "1")  # in this process: the command is the stand-in below

    def command() -> int:
        seen.append(os.environ.get(blas.VARIABLE))
        return 0

    monkeypatch.setattr(guard, "_command", command)
    monkeypatch.setattr(sys, "argv", ["kpi", "platforms"])
    assert guard.main() == 0
    assert seen == ["1"]
