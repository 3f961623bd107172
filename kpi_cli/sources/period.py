"""Reports of totals over one date range, without a date column: the range they total.

The most common downloads hold one row per campaign or channel for the whole range picked in the
platform's date picker, and say that range only above the header:

- GA4 standard reports: `# Start date: 20261001` / `# End date: 20261031` in the `#` comment block
  (Japanese UI: `# 開始日:` / `# 終了日:`);
- Google Ads report downloads: a title line, then the range (`October 1, 2026 - October 31, 2026`,
  `1 October 2026 - 31 October 2026`, `2026年10月1日～2026年10月31日`).

A file that says neither takes the range from its source (`period: 2026-10`, or `start:`/`end:`);
a file whose own range differs from its source's is refused, naming the line. Every data row of
such a file is then a period total: `date` is the range's first day and `date_end` its last, as
Meta's `Reporting starts`/`Reporting ends` rows, so spans.py places it in its month (or refuses a
range across months unless `split: prorata`), freshness counts from its last day and the coverage
rule sees the days it covers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_cli.errors import DataError, location
from kpi_cli.i18n import Wording
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.canonical import DATE_END
from kpi_cli.sources.dates import dates_from_text
from kpi_cli.sources.listing import listed_said
from kpi_cli.sources.values import as_text
from kpi_cli.untrusted import one_line

if TYPE_CHECKING:
    from kpi_cli.sources.frame import ColumnMap
    from kpi_cli.sources.profile import Profile
    from kpi_cli.sources.reader import Table

# GA4's comment block; the Japanese labels are those of the Japanese UI's downloads.
_GA4_START = re.compile(r"^\s*#\s*(?:start date|開始日)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
_GA4_END = re.compile(r"^\s*#\s*(?:end date|終了日)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
# Google Ads' range line: two dates joined by a spaced dash, or a wave dash in Japanese.
_RANGE_JOINER = re.compile(r"\s+[-–—]\s+|\s*[～〜~]\s*")


@dataclass(frozen=True)
class Span:
    """The days a file's rows total (both inclusive), and where that was read."""

    first: date
    last: date
    # `line 7` of the file, or the source key it came from (`period: 2026-10`).
    said_by: str
    line: int | None = None

    def days(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"

    def days_said(self) -> Wording:
        """`days()` worded by the catalog (`2026-10-01 to 2026-10-31`, `2026-10-01〜2026-10-31`)."""
        return Wording("error.period.days", {"first": self.first.isoformat(), "last": self.last.isoformat()})


def from_source(period: str | None, start: date | None, end: date | None) -> Span | None:
    """The range a source states for files that have none (config validation checks the keys)."""
    if period is not None:
        year, month = (int(part) for part in period.split("-"))
        following = date(year + month // 12, month % 12 + 1, 1)
        return Span(date(year, month, 1), date.fromordinal(following.toordinal() - 1), f"`period: {period}`")
    if start is not None and end is not None:
        return Span(start, end, f"`start: {start.isoformat()}`/`end: {end.isoformat()}`")
    return None


def in_preamble(preamble: Sequence[tuple[int, str]], path: Path) -> Span | None:
    """The range written above the header (GA4 comment lines, or a Google Ads range line)."""
    starts = [(line, found.group(1)) for line, text in preamble if (found := _GA4_START.match(text))]
    ends = [(line, found.group(1)) for line, text in preamble if (found := _GA4_END.match(text))]
    if starts and ends:
        (line, first), (end_line, last) = starts[0], ends[0]
        span = _span(path, line, _day(path, line, first), _day(path, end_line, last))
        return replace(span, said_by=f"lines {line}-{end_line}") if end_line != line else span
    for line, text in preamble:
        sides = _RANGE_JOINER.split(text.strip().strip('"').strip())
        if len(sides) == 2:
            values, bad = _dates(sides)
            if not bad.any() and not np.isnat(values).any():
                first, last = (_as_date(v) for v in values)
                return _span(path, line, first, last)
    return None


def _span(path: Path, line: int, first: date, last: date) -> Span:
    if last < first:
        said = {"where": location(path, line), "last": last.isoformat(), "first": first.isoformat()}
        raise DataError.said("error.period.reversed", **said)
    return Span(first, last, f"line {line}", line)


def _day(path: Path, line: int, text: str) -> date:
    values, bad = _dates([text])
    if bad.any() or np.isnat(values).any():
        said = {"where": location(path, line), "text": repr(one_line(text, 40))}
        raise DataError.said("error.period.bad_date", **said)
    return _as_date(values[0])


def _dates(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return dates_from_text(as_text(pd.Series(texts, dtype=object)))


def _as_date(value: np.datetime64) -> date:
    return date.fromisoformat(str(value)[:10])


def agreed(stated: Span | None, configured: Span | None, path: Path) -> Span | None:
    """The file's own range, unless the source states another: then the file is refused."""
    if (
        stated is not None
        and configured is not None
        and (stated.first, stated.last)
        != (
            configured.first,
            configured.last,
        )
    ):
        said = {
            "where": location(path, stated.line),
            "days": stated.days_said(),
            "said_by": configured.said_by,  # a source key as written: `period: 2026-09`
            "source_days": configured.days_said(),
        }
        raise DataError.said("error.period.disagrees", **said)
    return stated or configured


def dated(
    table: Table, profile: Profile, mapping: ColumnMap, path: Path, configured: Span | None
) -> tuple[Table, ColumnMap]:
    """The table with the range as two date columns when it has no date column of its own."""
    span = agreed(in_preamble(table.preamble, path), configured, path)
    if span is None or span is configured:  # a Meta download's name states its range (period_name)
        from kpi_cli.sources import period_name

        span = period_name.agreed(period_name.in_name(path, profile.name), configured, path) or span
    if "date" in mapping.columns or profile.events:
        return table, mapping
    if span is None:
        names = [f"'{a}'" for a in profile.date] or ["'date'"]
        wanted: Wording | str = names[0]
        for name in names[1:]:
            wanted = Wording("error.either", {"first": wanted, "next": name})
        said = {"path": str(path), "wanted": wanted, "present": listed_said(table.headers)}
        raise DataError.said("error.period.no_date", **said)
    return _with_range(table, span), replace(
        mapping, columns={**mapping.columns, "date": len(table.headers), DATE_END: len(table.headers) + 1}
    )


def _with_range(table: Table, span: Span) -> Table:
    """Two columns holding the range on every row with figures (blank and note rows stay blank)."""
    from kpi_cli.sources import summary

    cells = table.cells.copy()
    has_figures = ~summary.empty_after_first(table.cells)
    width = len(table.headers)
    cells[width] = np.where(has_figures, span.first.isoformat(), "")
    cells[width + 1] = np.where(has_figures, span.last.isoformat(), "")
    headers = [*table.headers, f"first day ({span.said_by})", f"last day ({span.said_by})"]
    return replace(table, headers=headers, cells=cells)
