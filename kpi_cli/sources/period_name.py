"""The date range in a file's name, where that is the platform's convention (issue 10).

Meta Ads Manager's "Export table data" names the file after the account, the level and the range
picked in the date picker: `<Account>-Campaigns-Jan-1-2026-Jul-11-2026.csv` (US English), or day
first, `<Account>-Ads-Campaigns-28-Jun-2026-27-Jul-2026.csv`. Evidence: names of real downloads
quoted in public repositories (see tests/sources/test_period_name.py). No other platform here
is known to do so, so only Meta files are read this way.

The name's range is read like a range above the header: a Meta file without date columns totals
it, a source's `period:`/`start:`/`end:` that says otherwise is refused, and so is a file whose
own rows (`Reporting starts`/`Reporting ends`, or `Day`) fall outside the range its name says.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import pd
from kpi_cli.sources.canonical import DATE_END
from kpi_cli.sources.period import Span

NAMED_PLATFORMS = frozenset({"meta_ads"})
SAID_BY = "its file name"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)"
_DAY_MONTH_YEAR = rf"(\d{{1,2}})-{_MONTH}-(\d{{4}})"
_MONTH_DAY_YEAR = rf"{_MONTH}-(\d{{1,2}})-(\d{{4}})"
# Month first (Jan-1-2026-Jul-11-2026) or day first (28-Jun-2026-27-Jul-2026), not inside a word
# or a longer number; whatever follows (`_8d75`, ` (1)`) is the browser's or an upload's.
_US = re.compile(rf"(?<![a-z0-9]){_MONTH_DAY_YEAR}-{_MONTH_DAY_YEAR}(?![0-9])", re.IGNORECASE)
_DAY_FIRST = re.compile(rf"(?<![a-z0-9]){_DAY_MONTH_YEAR}-{_DAY_MONTH_YEAR}(?![0-9])", re.IGNORECASE)


def in_name(path: Path, platform: str) -> Span | None:
    """The range the file's name states, for a platform whose downloads are named so."""
    if platform not in NAMED_PLATFORMS:
        return None
    if (found := _US.search(path.name)) is not None:
        month, day, year, month2, day2, year2 = found.groups()
    elif (found := _DAY_FIRST.search(path.name)) is not None:
        day, month, year, day2, month2, year2 = found.groups()
    else:
        return None
    first, last = _date(year, month, day), _date(year2, month2, day2)
    if first is None or last is None or last < first:
        return None  # not a range (Feb-30, or backwards): the name is not read
    return Span(first, last, SAID_BY)


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), _MONTHS.index(month.lower()[:3]) + 1, int(day))
    except ValueError:
        return None


def agreed(named: Span | None, configured: Span | None, path: Path) -> Span | None:
    """The name's range, unless the source states another: then the file is refused."""
    if (
        named is not None
        and configured is not None
        and (named.first, named.last)
        != (
            configured.first,
            configured.last,
        )
    ):
        raise DataError(
            f"{path}: its name says it totals {named.days()}, but its source says "
            f"{configured.said_by} ({configured.days()}); remove the key from the source, or point "
            "the source at the file of that range"
        )
    return named or configured


def check_rows(path: Path, platform: str, frame: pd.DataFrame) -> None:
    """Refuse a file whose rows fall outside the range its name states (a renamed download)."""
    named = in_name(path, platform)
    if named is None or frame.empty or "date" not in frame.columns:
        return
    last = frame[DATE_END] if DATE_END in frame.columns else frame["date"]
    first_day, last_day = frame["date"].min(), last.max()
    if pd.isna(first_day) or pd.isna(last_day):
        return
    if first_day.date() < named.first or last_day.date() > named.last:
        raise DataError(
            f"{path}: its name says it totals {named.days()}, but its rows run "
            f"{first_day.date().isoformat()} to {last_day.date().isoformat()}; rename the file or "
            "export it again for the range its name says"
        )
