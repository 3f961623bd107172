"""The one place a rich Console is made, so width and colour are decided consistently."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console


def make_console(file: TextIO | None = None, *, stderr: bool = False) -> Console:
    # highlight=False: rich's number/keyword colouring would restyle data it does not understand.
    return Console(file=file, stderr=stderr, highlight=False, soft_wrap=False)
