"""Hand-run: the 200 MB files the DuckDB path hands back to the row-by-row reader (issue 7).

    python benchmarks/generate.py DIR plain 2600000
    python benchmarks/generate.py DIR meta 1850000
    python benchmarks/handed_back.py DIR [VARIANT...]  (default: every variant)

Each variant is written line by line from the generated file, with its config beside it:
- `meta_results`: Meta's `Results` and `Result indicator` columns in place of `Link clicks`,
  `Leads` and `Purchases` (leads, purchases and link clicks in turn; every 10,000th row
  `actions:video_view`, which kpi leaves unread).
- `plain_currency`: the cost written `"¥1,200"` (a currency cell hands the file back).
- `plain_quoted`: every 1,000th campaign name holds a quoted line break.
- `plain_blank`: a blank line after every 1,000th row.
- `error_number`, `error_date`: `plain_currency` with one unreadable cell on the 2,000,000th data
  row (line 2,000,001: the cost `¥1,2x0`, or the date `2026-13-45`): the error path, exit 2.
- The three layouts the blocks used to hand back, from the plain file's cells (header layouts as
  in tests/sources/test_streamed_layouts.py; each is a row a day or a row a channel in real life,
  so these sizes are made up to measure the bound):
  - `line_friends`: LINE's friends report (`日付`, `タイトル`, running totals `総友だち数`, `ブロック数`);
  - `tiktok_overview_2026`: TikTok's overview, dates without a year (`January 1`), the year in
    the name; two unread columns;
  - `ga4_totals`: GA4's period total (`# Start date: 20260101` / `# End date: 20260131`), a row a
    channel (the campaign) without a date column.
- Exports timed to the second (a distinct date cell on nearly every row): `plain_iso_timed`
  (`2026-01-01 00:00:07`) and `plain_us_timed` (`01/01/2026 12:00:07 AM`).
- `meta_weekly`: every Meta row a week long, so rows cross months; read with `split: prorata`.
Then `/usr/bin/time -f %M kpi check|inspect|validate -c DIR/<variant>.yaml` measures each.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import yaml

INDICATORS = ("actions:lead", "offsite_conversion.fb_pixel_purchase", "actions:link_click")


# Ads Manager's default "Performance" columns: Results and their indicator, no Leads, Purchases or
# Link clicks columns of their own (with them, every Results figure is reported as not added).
_META_DROPPED = ("Link clicks", "Leads", "Purchases")


def _meta_results(lines: Iterator[str]) -> Iterator[str]:
    rows = csv.reader(lines)
    header = next(rows)
    kept = [i for i, name in enumerate(header) if name not in _META_DROPPED]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in kept] + ["Results", "Result indicator"])
    for index, row in enumerate(rows):
        kind = "actions:video_view" if index % 10_000 == 9_999 else INDICATORS[index % 3]
        writer.writerow([row[i] for i in kept] + [str(index % 17), kind])
        if index % 10_000 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _plain_currency(lines: Iterator[str]) -> Iterator[str]:
    yield next(lines)
    for line in lines:
        cells = line.rstrip("\n").split(",")
        cells[7] = f'"¥{int(cells[7]):,}"'  # cost
        yield ",".join(cells) + "\n"


# The error path: one bad cell late in the file (the whole read used to be redone to name it).
_BAD_ROW = 1_999_999  # index among data rows: line 2,000,001


def _bad_cell(position: int, bad: str) -> Callable[[Iterator[str]], Iterator[str]]:
    def rewrite(lines: Iterator[str]) -> Iterator[str]:
        for index, line in enumerate(_plain_currency(lines)):
            if index - 1 == _BAD_ROW:  # index 0 is the header
                cells = next(csv.reader([line]))
                cells[position] = bad
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerow(cells)
                line = out.getvalue()
            yield line

    return rewrite


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _layout(header: str, row: Callable[[list[str]], str]) -> Callable[[Iterator[str]], Iterator[str]]:
    def rewrite(lines: Iterator[str]) -> Iterator[str]:
        next(lines)
        yield header
        for line in lines:  # each row twice: ~200 MB from the 2.6M-row plain file
            written = row(line.rstrip("\n").split(","))
            yield written + written

    return rewrite


def _month_day(day: str) -> str:
    return f"{_MONTHS[int(day[5:7]) - 1]} {int(day[8:10])}"


# plain's cells: date, campaign, channel, segment, impressions, reach, clicks, cost, ...
_LINE_FRIENDS = _layout(
    "日付,タイトル,総友だち数,ターゲットリーチ,ブロック数\n",
    lambda c: f"{c[0]},{c[1]},{c[4]},{c[5]},{c[6]}\n",
)
_TIKTOK_OVERVIEW = _layout(
    "Date,Video Views,Profile Views,Likes,Comments,Shares,Reach,Revenue\n",
    lambda c: f"{_month_day(c[0])},{c[4]},{c[6]},{c[8]},{c[9]},{c[10]},{c[5]},{c[11]}\n",
)
_GA4_TOTALS = _layout(
    "# Start date: 20260101\n# End date: 20260131\n"
    "Session primary channel group (Default channel group),Sessions,Engaged sessions,Key events,"
    "Total revenue\n",
    lambda c: f"{c[1]} {c[2]},{c[4]},{c[5]},{c[12]},{c[11]}\n",
)
# variant -> its platform and the metrics its config's KPIs read
_LAYOUT_CONFIGS = {
    "line_friends": ("line", ("followers",)),
    "tiktok_overview_2026": ("tiktok", ("video_views", "likes")),
    "ga4_totals": ("ga4", ("conversions", "revenue")),
}


def _plain_quoted(lines: Iterator[str]) -> Iterator[str]:
    yield next(lines)
    for index, line in enumerate(lines):
        if index % 1_000 == 999:
            cells = line.split(",")
            cells[1] = f'"{cells[1]}\nsecond line"'
            line = ",".join(cells)
        yield line


def _plain_blank(lines: Iterator[str]) -> Iterator[str]:
    yield next(lines)
    for index, line in enumerate(lines):
        yield line
        if index % 1_000 == 999:
            yield "\n"


def _timed(written: Callable[[str, int], str]) -> Callable[[Iterator[str]], Iterator[str]]:
    """The date cell with a time of day, a distinct second on nearly every row (an event log)."""

    def rewrite(lines: Iterator[str]) -> Iterator[str]:
        yield next(lines)
        for index, line in enumerate(lines):
            day, rest = line.split(",", 1)
            yield f"{written(day, index * 7 % 86_400)},{rest}"

    return rewrite


def _iso_time(day: str, second: int) -> str:
    return f"{day} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def _us_time(day: str, second: int) -> str:
    """`10/03/2026 09:03:47 AM` (HubSpot's, Meta's and LinkedIn's US style)."""
    year, month, date = day.split("-")
    hour = second // 3600
    return f"{month}/{date}/{year} {hour % 12 or 12:02d}:{second // 60 % 60:02d}:{second % 60:02d} {'AM' if hour < 12 else 'PM'}"


def _meta_weekly(lines: Iterator[str]) -> Iterator[str]:
    """Meta rows of a week each (`Reporting ends` six days on): rows across months, without the
    summary row (its range is the whole year). The config reads it with `split: prorata`."""
    rows = csv.reader(lines)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(next(rows))
    next(rows)
    for index, row in enumerate(rows):
        start = date.fromisoformat(row[0])
        row[1] = min(start + timedelta(days=6), date(start.year, 12, 31)).isoformat()
        writer.writerow(row)
        if index % 10_000 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


VARIANTS: dict[str, tuple[str, Callable[[Iterator[str]], Iterator[str]]]] = {
    "meta_results": ("meta_1850000", _meta_results),
    "plain_currency": ("plain_2600000", _plain_currency),
    "plain_quoted": ("plain_2600000", _plain_quoted),
    "plain_blank": ("plain_2600000", _plain_blank),
    "error_number": ("plain_2600000", _bad_cell(7, "¥1,2x0")),
    "error_date": ("plain_2600000", _bad_cell(0, "2026-13-45")),
    "line_friends": ("plain_2600000", _LINE_FRIENDS),
    "tiktok_overview_2026": ("plain_2600000", _TIKTOK_OVERVIEW),
    "ga4_totals": ("plain_2600000", _GA4_TOTALS),
    "plain_iso_timed": ("plain_2600000", _timed(_iso_time)),
    "plain_us_timed": ("plain_2600000", _timed(_us_time)),
    "meta_weekly": ("meta_1850000", _meta_weekly),
}


def main(directory: Path, names: list[str]) -> None:
    for name, (base, rewrite) in VARIANTS.items():
        if names and name not in names:
            continue
        target = directory / f"{name}.csv"
        if not target.exists():
            source_path = directory / f"{base}.csv"
            with (
                source_path.open(encoding="utf-8", newline="") as source,
                target.open("w", newline="") as out,
            ):
                out.writelines(rewrite(iter(source)))
        config = yaml.safe_load((directory / f"{base}.yaml").read_text(encoding="utf-8"))
        config["sources"][0]["path"] = target.name
        if name in _LAYOUT_CONFIGS:
            platform, metrics = _LAYOUT_CONFIGS[name]
            config["sources"][0]["platform"] = platform
            config["kgi"]["metric"] = metrics[-1]
            config["kpis"] = [
                dict(config["kpis"][0], id=m, metric=m, primary=m == metrics[0]) for m in metrics
            ]
        if name == "meta_weekly":
            config["sources"][0]["split"] = "prorata"
        (directory / f"{name}.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        print(f"{target} ({target.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    if len(sys.argv) < 2 or not set(sys.argv[2:]) <= set(VARIANTS):
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2:])
