"""The one place a rich Console is made, so width and colour are decided consistently."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from typing import TextIO

from rich.console import Console

# rich takes COLUMNS as given: COLUMNS=0 printed an empty review, COLUMNS=1 one letter a line.
MIN_WIDTH = 60


def make_console(file: TextIO | None = None, *, stderr: bool = False) -> Console:
    # highlight=False: rich's number/keyword colouring would restyle data it does not understand.
    console = Console(file=file, stderr=stderr, highlight=False, soft_wrap=False)
    if console.width < MIN_WIDTH:
        console.width = MIN_WIDTH
    return console


def emit(draw: Callable[[Console], None]) -> None:
    """Draw to the terminal as it is; into a pipe or a file, without the padding at line ends.

    Table padding is for the eye at a terminal; in mail, files and pipes it is noise (90 of 95
    lines of a piped review ended in spaces).
    """
    if sys.stdout.isatty():
        draw(make_console())
        return
    buffer = io.StringIO()
    probe = make_console()  # the width the terminal (or COLUMNS) gives, as a TTY would have it
    console = make_console(buffer)
    console.width = probe.width
    draw(console)
    print("\n".join(line.rstrip() for line in buffer.getvalue().split("\n")), end="")
