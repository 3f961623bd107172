"""Hand-run prototype: the read path on DuckDB, polars or pyarrow (the history of issue 12).

DuckDB was chosen from these measurements; the wired path is kpi_cli/sources/columnar.py (its
differences: metrics typed at the scan where the first rows are plain, summary rows decided by
kpi's own checks on the candidate rows, CP932/UTF-16 transcoded, a fallback to the pandas reader).

    python benchmarks/prototype_columnar.py DIR [--runs 3] [--files plain_1m,meta_1m]
    python benchmarks/prototype_columnar.py --child ENGINE CSV     # one measured read

What each engine does is what kpi's read path would do (issue 12), on a UTF-8 file:
1. kpi's own sniffing, unchanged, on the first 50 lines (delimiter, preamble, header row, two
   header rows; kpi_cli.sources.reader) and its profile detection and column mapping: which
   columns the config needs and where the body starts. Only the body goes to the engine.
2. The engine reads only those columns, as text.
3. A metric cell is cast directly when it is a plain number; only the cells that are not take the
   cleaning (thousands separators grouped by threes, `''`/`-`/`--` as "not measured"); any other
   value is counted as unreadable (kpi would then re-read the file to name its line).
4. The summary-row signature (a summary word in the date or a dimension, a blank dimension the
   profile names, an undated row) flags the few rows that can be one; they are collected with
   their line numbers for the `skipped` report and kept out of the sums.
5. The rest is aggregated to day x source x dimensions in the engine; only that comes back.
Encodings other than UTF-8 (CP932, UTF-16) are not handled here; see the report in the README.

The baseline, `kpi_reader`, is today's `read_export` followed by the same aggregation in pandas.
The driver prints one Markdown table (median wall s, CPU s, peak RSS) and checks that every engine
returns the same total of every metric, the same number of groups and the same skipped lines.
pyarrow is imported from PYARROW_PATH when set (see pyproject's `bench` extra for why).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import measure

ROOT = Path(__file__).resolve().parent.parent
SUMMARY_WORDS = (
    "total",
    "totals",
    "grand total",
    "grand totals",
    "summary",
    "合計",
    "総計",
    "総合計",
    "全体",
    "小計",
)
NULLS = ("", "-", "--")
GROUPED = r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?"
ENGINES = ("kpi_reader", "duckdb", "polars", "pyarrow")
# The benchmark configs use no dimension (no --by, segments or where): their grain is day x source.
# PROTO_GROUP_BY=campaign,channel,segment measures the finest grain a review could ask for.
GROUP_BY = [d for d in os.environ.get("PROTO_GROUP_BY", "").split(",") if d]


@dataclass(frozen=True)
class Plan:
    """What kpi's sniffing and profile say about the file: the engine's instructions."""

    path: str
    body_line: int  # physical line of the first body row
    delimiter: str
    width: int  # columns in the header
    date: str
    dimensions: list[str]  # canonical dimension names, in the file's column order
    metrics: list[str]
    columns: dict[str, int]  # canonical name -> position in the file
    blank_means_summary: list[str]  # dimensions whose blank marks a summary row (Meta: campaign)
    group_by: list[str]  # the dimensions the review uses (--by, segments, where): the output grain


def plan_for(path: Path) -> Plan:
    from kpi_cli.sources import detect, frame
    from kpi_cli.sources.canonical import DIMENSIONS, METRICS
    from kpi_cli.sources.profile import headers_known_by
    from kpi_cli.sources.profiles import available
    from kpi_cli.sources.reader import _find_header, _header_and_preamble, _sniff_rows

    profiles = available(None)
    with path.open(encoding="utf-8-sig") as head:
        lines = [line.rstrip("\n") for _, line in zip(range(50), head, strict=False)]
    candidates = {d: _sniff_rows(lines, d) for d in (",", "\t", ";")}
    found = _find_header(candidates, headers_known_by(profiles))
    rows = candidates[found.key]
    headers, body_index, _ = _header_and_preamble(rows, found.index)
    profile = detect.detected(headers, profiles, path)
    mapping = frame.resolve(profile, headers, {}, path)
    present = mapping.columns
    return Plan(
        path=str(path),
        body_line=rows[body_index][0],
        delimiter=found.key,
        width=len(headers),
        date="date",
        dimensions=[d for d in DIMENSIONS[1:] if d in present],
        metrics=[m for m in METRICS if m in present],
        columns=dict(present),
        blank_means_summary=[d for d in profile.summary_if_blank if d in present],
        group_by=[d for d in DIMENSIONS[1:] if d in present and d in GROUP_BY],
    )


def _words() -> list[str]:
    return sorted({v for w in SUMMARY_WORDS for v in (w, w.upper(), w.title(), w.capitalize())})


# --- DuckDB --------------------------------------------------------------------------------------


def read_duckdb(plan: Plan) -> dict[str, Any]:
    import duckdb

    names = {name: f"c{position}" for name, position in plan.columns.items()}
    columns = {f"c{i}": "VARCHAR" for i in range(plan.width)}
    source = (
        f"read_csv(?, skip = {plan.body_line - 1}, header = false, delim = '{plan.delimiter}', "
        f"quote = '\"', columns = {columns!r}, null_padding = true)"
    )
    words = ", ".join(f"'{w}'" for w in _words())
    date, dims = names[plan.date], [names[d] for d in plan.dimensions]
    # The date cell carries most signatures (`Total`, `合計`, an undated row); a dimension may too.
    flags = [f"TRY_CAST(trim({date}) AS DATE) IS NULL"]
    flags += [f"{c} IN ({words})" for c in dims]
    flags += [f"coalesce(trim({names[d]}), '') = ''" for d in plan.blank_means_summary]
    flagged = " OR ".join(f"({f})" for f in flags)
    numbers = ", ".join(f"{_duck_number(names[m])} AS n_{m}" for m in plan.metrics)
    nulls = ", ".join(f"'{n}'" for n in NULLS)
    bad = " + ".join(
        f"count(*) FILTER (WHERE n_{m} IS NULL AND trim({names[m]}) NOT IN ({nulls}))" for m in plan.metrics
    )
    raw = ", ".join(dict.fromkeys([date, *dims, *(names[m] for m in plan.metrics)]))
    dimensions = "".join(f", nullif(trim({names[d]}), '') AS {d}" for d in plan.group_by)
    connection = duckdb.connect()
    # Flagged rows form their own groups (few): summed nowhere, but counted in the same scan.
    grouped = connection.execute(
        f"""SELECT flagged, TRY_CAST(trim({date}) AS DATE) AS day, 'source' AS source{dimensions},
                   {", ".join(f"sum(n_{m}) AS {m}" for m in plan.metrics)}, {bad} AS bad
            FROM (SELECT {raw}, ({flagged}) AS flagged, {numbers} FROM {source})
            GROUP BY ALL""",
        [plan.path],
    ).fetchnumpy()
    kept = ~grouped["flagged"].astype(bool)
    skipped: list[Any] = []
    if not kept.all():  # only then a second, narrow scan names the flagged rows' lines
        narrow = ", ".join(dict.fromkeys([date, *dims, *(names[d] for d in plan.blank_means_summary)]))
        skipped = connection.execute(
            f"""SELECT line FROM (SELECT row_number() OVER () + {plan.body_line - 1} AS line, {narrow}
                FROM {source}) WHERE {flagged}""",
            [plan.path],
        ).fetchall()
    totals = {m: float(grouped[m][kept].sum()) for m in plan.metrics}
    bad_total = int(grouped["bad"][kept].sum())
    return _report(int(kept.sum()), totals, bad_total, [int(s[0]) for s in skipped])


def _duck_number(cell: str) -> str:
    """The cast first; coalesce runs the cleaning only on the cells the cast could not read."""
    nulls = ", ".join(f"'{n}'" for n in NULLS)
    text = f"trim({cell})"
    return (
        f"coalesce(TRY_CAST({cell} AS DOUBLE), CASE WHEN {text} IS NULL OR {text} IN ({nulls}) THEN NULL "
        f"WHEN regexp_full_match({text}, '{GROUPED}') THEN CAST(replace({text}, ',', '') AS DOUBLE) END)"
    )


def _report(groups: int, totals: dict[str, float], bad: int, skipped: list[int]) -> dict[str, Any]:
    return {"groups": groups, "totals": totals, "unreadable": int(bad), "skipped": sorted(skipped)}


# --- polars --------------------------------------------------------------------------------------


def read_polars(plan: Plan) -> dict[str, Any]:
    import polars as pl

    names = {name: f"c{position}" for name, position in plan.columns.items()}
    scan = pl.scan_csv(
        plan.path,
        has_header=False,
        new_columns=[f"c{i}" for i in range(plan.width)],
        skip_rows=plan.body_line - 1,
        separator=plan.delimiter,
        infer_schema=False,
        row_index_name="row",
    ).select("row", *names.values())
    cell = {name: pl.col(column).str.strip_chars() for name, column in names.items()}
    words = _words()
    date = cell[plan.date]
    flagged = (
        date.is_in(words)
        | date.str.to_lowercase().str.contains(r"^total\s*:")
        | date.str.to_date("%Y-%m-%d", strict=False).is_null()
    )
    for d in plan.dimensions:
        flagged = flagged | cell[d].fill_null("").is_in(words)
    for d in plan.blank_means_summary:
        flagged = flagged | (cell[d].fill_null("") == "")
    number = {m: _polars_number(pl, cell[m]) for m in plan.metrics}
    bad = pl.sum_horizontal(
        *[
            (number[m].is_null() & cell[m].is_not_null() & ~cell[m].is_in(list(NULLS))).cast(pl.Int64)
            for m in plan.metrics
        ]
    )
    flagged_frame = scan.with_columns(flagged.alias("flagged"))
    aggregated = (
        flagged_frame.filter(~pl.col("flagged"))
        .group_by(date.str.to_date("%Y-%m-%d").alias("day"), *[cell[d].alias(d) for d in plan.group_by])
        .agg(*[number[m].sum().alias(m) for m in plan.metrics], bad.sum().alias("bad"))
    )
    skipped = flagged_frame.filter(pl.col("flagged")).select("row")
    groups, lines = pl.collect_all([aggregated, skipped])
    totals = {m: float(groups[m].sum()) for m in plan.metrics}
    skipped_lines = [int(r) + plan.body_line for r in lines["row"]]
    return _report(groups.height, totals, int(groups["bad"].sum()), skipped_lines)


def _polars_number(pl: Any, cell: Any) -> Any:
    plain = cell.cast(pl.Float64, strict=False)
    grouped = pl.when(cell.str.contains(f"^{GROUPED}$")).then(
        cell.str.replace_all(",", "").cast(pl.Float64, strict=False)
    )
    return pl.when(plain.is_not_null()).then(plain).otherwise(grouped)


# --- pyarrow -------------------------------------------------------------------------------------


def read_pyarrow(plan: Plan) -> dict[str, Any]:
    if os.environ.get("PYARROW_PATH"):
        sys.path.insert(0, os.environ["PYARROW_PATH"])
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyarrow import csv

    names = [f"c{i}" for i in range(plan.width)]
    wanted = {name: f"c{position}" for name, position in plan.columns.items()}
    reader = csv.open_csv(
        plan.path,
        read_options=csv.ReadOptions(skip_rows=plan.body_line - 1, column_names=names, block_size=16 << 20),
        parse_options=csv.ParseOptions(delimiter=plan.delimiter),
        convert_options=csv.ConvertOptions(
            include_columns=list(dict.fromkeys(wanted.values())),
            column_types=dict.fromkeys(wanted.values(), pa.string()),
            strings_can_be_null=False,
        ),
    )
    words = pa.array(_words())
    partials, skipped, bad, start = [], [], 0, 0
    for batch in reader:
        cell = {name: pc.utf8_trim_whitespace(batch.column(column)) for name, column in wanted.items()}
        date = cell[plan.date]
        day = pc.strptime(date, format="%Y-%m-%d", unit="s", error_is_null=True)
        flagged = pc.or_(
            pc.or_(pc.is_in(date, value_set=words), pc.match_substring_regex(date, "^(?i)total\\s*:")),
            pc.is_null(day),
        )
        for d in plan.dimensions:
            flagged = pc.or_(flagged, pc.is_in(cell[d], value_set=words))
        for d in plan.blank_means_summary:
            flagged = pc.or_(flagged, pc.equal(cell[d], ""))
        hits = pc.indices_nonzero(flagged).to_pylist()
        skipped += [start + i + plan.body_line for i in hits]
        keep = pc.invert(flagged)
        columns: dict[str, Any] = {"day": pc.filter(day, keep)}
        for d in plan.group_by:
            columns[d] = pc.filter(cell[d], keep)
        for m in plan.metrics:
            values, unreadable = _arrow_number(pa, pc, cell[m])
            bad += pc.sum(unreadable).as_py() or 0
            columns[m] = pc.filter(values, keep)
        table = pa.table(columns)
        partials.append(table.group_by(["day", *plan.group_by]).aggregate([(m, "sum") for m in plan.metrics]))
        start += batch.num_rows
    combined = pa.concat_tables(partials)
    groups = combined.group_by(["day", *plan.group_by]).aggregate([(f"{m}_sum", "sum") for m in plan.metrics])
    totals = {m: float(pc.sum(groups[f"{m}_sum_sum"]).as_py() or 0.0) for m in plan.metrics}
    return _report(groups.num_rows, totals, bad, skipped)


def _arrow_number(pa: Any, pc: Any, cell: Any) -> tuple[Any, Any]:
    nulls = pc.is_in(cell, value_set=pa.array(list(NULLS)))
    plain = pc.match_substring_regex(cell, r"^[-+]?(\d+\.?\d*|\.\d+)$")
    grouped = pc.match_substring_regex(cell, f"^{GROUPED}$")
    text = pc.if_else(grouped, pc.replace_substring(cell, ",", ""), cell)
    readable = pc.or_(plain, grouped)
    values = pc.cast(pc.if_else(readable, text, pa.scalar(None, pa.string())), pa.float64())
    return values, pc.and_(pc.invert(readable), pc.invert(nulls))


# --- today's reader ------------------------------------------------------------------------------


def read_kpi(plan: Plan) -> dict[str, Any]:
    from kpi_cli.sources import read_export

    export = read_export(Path(plan.path))
    frame = export.frame
    frame["source"] = "source"
    dims = [d for d in plan.group_by if d in frame.columns]
    groups = frame.groupby(["date", "source", *dims], dropna=False)[plan.metrics].sum(min_count=1)
    totals = {m: float(groups[m].sum()) for m in plan.metrics}
    skipped = [s.line for s in export.skipped if s.line >= plan.body_line]
    return _report(len(groups), totals, 0, skipped)


READERS = {"kpi_reader": read_kpi, "duckdb": read_duckdb, "polars": read_polars, "pyarrow": read_pyarrow}


# --- the driver ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, nargs="?")
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "CSV"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", default="plain_1m,meta_1m")
    parser.add_argument("--engines", default=",".join(ENGINES))
    args = parser.parse_args()
    if args.child:
        engine, csv = args.child
        print(json.dumps(READERS[engine](plan_for(Path(csv)))))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    lines = [
        "| file | engine | wall s | CPU s | peak MiB | groups | skipped | same totals |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in args.files.split(","):
        csv = args.directory / f"{name}.csv"
        runs: dict[str, list[measure.Run]] = {e: [] for e in args.engines.split(",")}
        for _ in range(args.runs):
            for engine in runs:
                command = [sys.executable, __file__, "--child", engine, str(csv)]
                run = measure.run(command, timeout=900, cwd=ROOT, env=env)
                if run.returncode != 0:
                    raise SystemExit(f"{engine} failed on {csv}:\n{run.stderr[-3000:]}")
                runs[engine].append(run)
                print(f"  {name} {engine}: {run.wall:.2f} s, {run.peak_mib:,.0f} MiB", file=sys.stderr)
        reports = {e: json.loads(r[0].stdout) for e, r in runs.items()}
        base = reports[next(iter(reports))]
        for engine, engine_runs in runs.items():
            report = reports[engine]
            same = all(abs(report["totals"][m] - v) <= 1e-9 * abs(v) for m, v in base["totals"].items())
            same = (
                same
                and report["groups"] == base["groups"]
                and report["skipped"] == base["skipped"]
                and report["unreadable"] == 0
            )
            cells = [
                name,
                engine,
                f"{statistics.median(r.wall for r in engine_runs):.2f}",
                f"{statistics.median(r.cpu for r in engine_runs):.1f}",
                f"{statistics.median(r.peak_mib for r in engine_runs):,.0f}",
                f"{report['groups']:,}",
                ", ".join(map(str, report["skipped"][:3])) or "none",
                "yes" if same else "NO",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    print(f"median of {args.runs} runs; each engine in its own process")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
