"""Pydantic plugins off while kpi runs a command (issue 12: start-up).

Pydantic looks for plugins the first time it builds a model: it reads the entry points of every
installed distribution (~140 in a typical environment: 15-40 ms on every `kpi` run). kpi's models
are its own config schema, and a plugin (an observability hook) has nothing to observe in a CLI
run; typer turns them off the same way while it builds its parameter adapters. A value the user
set is left as it is, and the variable is removed again when the command ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

VARIABLE = "PYDANTIC_DISABLE_PLUGINS"


@contextmanager
def plugins_off() -> Iterator[None]:
    if VARIABLE in os.environ:
        yield
        return
    os.environ[VARIABLE] = "__all__"
    try:
        yield
    finally:
        os.environ.pop(VARIABLE, None)
