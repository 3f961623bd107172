"""Parsing of option values shared by several commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

from kpi_cli.commands.choices import check_choice as check_choice  # re-exported for the other commands
from kpi_cli.config import LoadedConfig, load_config
from kpi_cli.errors import UsageError
from kpi_cli.history import default_path, load_history
from kpi_cli.i18n import Wording
from kpi_cli.metrics import periods
from kpi_cli.untrusted import one_line

BY_DIMENSIONS = ("segment", "channel", "campaign", "account", "influencer")


def as_of_date(text: str | None, option: str = "--as-of") -> date:
    """--as-of defaults to today; every computation uses it so runs are reproducible."""
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError.said("error.usage.date", option=option, value=one_line(text, 40)) from None
    with flag(option):
        return periods.check_year(day)


def review_month(text: str | None, as_of: date) -> str | None:
    """--period checked before any file is read: a month, in range, not after --as-of's month."""
    if text is None:
        return None
    with flag("--period"):
        month = periods.parse_month(text)
    if month > periods.period_of(as_of, "month"):
        raise UsageError.said("error.usage.period_after", month=periods.label(month), as_of=as_of.isoformat())
    return periods.label(month)


@contextmanager
def flag(option: str) -> Iterator[None]:
    """Domain code says what is wrong with a period; here it is said about the flag that gave it."""
    try:
        yield
    except periods.PeriodError as exc:
        raise UsageError(
            worded=[Wording("error.usage.flag", {"option": option, "problem": str(exc)})]
        ) from None


# Ten years of months: far past any funnel's memory; `--window 1000000000` took 7.7 GB.
MAX_WINDOW_MONTHS = 120


def window_months(window: int) -> int:
    if not 1 <= window <= MAX_WINDOW_MONTHS:
        raise UsageError.said("error.usage.window", most=MAX_WINDOW_MONTHS, window=str(window))
    return window


def by_dimension(text: str | None) -> str | None:
    if text is not None and text not in BY_DIMENSIONS:
        raise UsageError.said("error.usage.choice", option="--by", value=text, choices=list(BY_DIMENSIONS))
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
