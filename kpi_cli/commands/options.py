"""Parsing of option values shared by several commands."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from kpi_cli.config import LoadedConfig, load_config
from kpi_cli.errors import UsageError
from kpi_cli.history import default_path, load_history
from kpi_cli.untrusted import one_line

BY_DIMENSIONS = ("segment", "channel", "campaign")


def as_of_date(text: str | None, option: str = "--as-of") -> date:
    """--as-of defaults to today; every computation uses it so runs are reproducible."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option}: cannot read '{text}' as a date (YYYY-MM-DD)") from None


def by_dimension(text: str | None) -> str | None:
    if text is not None and text not in BY_DIMENSIONS:
        raise UsageError(f"--by: '{text}' is not one of {', '.join(BY_DIMENSIONS)}")
    return text


def load_with_history(config: Path, history: Path | None) -> LoadedConfig:
    """The config plus the check-ins recorded with `kpi checkin` in the history database."""
    loaded = load_config(config)
    read = load_history(history or default_path(config))
    # A bad row must not fail every later run: it is left out, and said so on stderr.
    for note in read.skipped:
        print(f"kpi: warning: {one_line(note)}", file=sys.stderr)
    recorded = read.checkins
    if not recorded:
        return loaded
    merged = loaded.config.model_copy(update={"checkins": [*loaded.config.checkins, *recorded]})
    return replace(loaded, config=merged)


def check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"{option}: '{value}' is not one of {', '.join(choices)}")
