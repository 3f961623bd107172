"""The one place a rich Console is made, so width and colour are decided consistently."""

from __future__ import annotations

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
