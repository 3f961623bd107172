"""Standard streams that cannot turn a finished evaluation into a crash.

- A closed pipe (`kpi check | head -1`): the reader left, which is not kpi's failure. Writes
  after that are dropped and the exit code is still the evaluation's, so a gate stays a gate.
- A terminal or pipe that cannot encode Unicode (`PYTHONIOENCODING=ascii`, a C locale): text
  that does not fit is written as `\\uXXXX` escapes instead of raising UnicodeEncodeError.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, TextIO


class PipeSafe:
    """A proxy of a text stream whose writes stop silently once the other end of the pipe is gone."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.closed_pipe = False

    def write(self, text: str) -> int:
        if not self.closed_pipe:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.closed_pipe:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        """From now on write nowhere; the fd points at /dev/null so the exit-time flush is quiet too."""
        self.closed_pipe = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def install() -> None:
    """Guard stdout and stderr of the process (the console script and `python -m kpi_cli`)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, PipeSafe):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
        setattr(sys, name, PipeSafe(stream))
