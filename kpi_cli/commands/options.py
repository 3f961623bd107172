"""Parsing of option values shared by several commands."""

from __future__ import annotations

from datetime import date

from kpi_cli.errors import UsageError

BY_DIMENSIONS = ("segment", "channel", "campaign")


def as_of_date(text: str | None) -> date:
    """--as-of defaults to today; every computation uses it so runs are reproducible."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: cannot read '{text}' as a date (YYYY-MM-DD)") from None


def by_dimension(text: str | None) -> str | None:
    if text is not None and text not in BY_DIMENSIONS:
        raise UsageError(f"--by: '{text}' is not one of {', '.join(BY_DIMENSIONS)}")
    return text
