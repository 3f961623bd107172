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
Then `/usr/bin/time -f %M kpi check|inspect|validate -c DIR/<variant>.yaml` measures each.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator
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


VARIANTS: dict[str, tuple[str, Callable[[Iterator[str]], Iterator[str]]]] = {
    "meta_results": ("meta_1850000", _meta_results),
    "plain_currency": ("plain_2600000", _plain_currency),
    "plain_quoted": ("plain_2600000", _plain_quoted),
    "plain_blank": ("plain_2600000", _plain_blank),
    "error_number": ("plain_2600000", _bad_cell(7, "¥1,2x0")),
    "error_date": ("plain_2600000", _bad_cell(0, "2026-13-45")),
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
        (directory / f"{name}.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        print(f"{target} ({target.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    if len(sys.argv) < 2 or not set(sys.argv[2:]) <= set(VARIANTS):
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2:])
