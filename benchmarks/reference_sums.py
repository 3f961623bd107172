"""The work `kpi check` does on a benchmark file, done by DuckDB, pandas or polars (one per process).

    python benchmarks/reference_sums.py ENGINE KIND CSV

Prints JSON {"months": {"2026-01": {metric: sum}}, "by": {campaign: {metric: sum}}}: every month's
sum of every metric the benchmark config has a KPI for, and for the `campaigns` kind the sums per
month and campaign (`--by campaign`), of which the reviewed month is printed for the cross-check.

The cleaning is kpi's: in the Meta export thousands separators are dropped, `''`, `-` and `--` are
"not measured" (NULL, never 0), any other value that is not a number is an error (a cast that
fails, never a silent NULL), and the summary row (no campaign name) is not counted. The plain
files are read with declared types: a cell that is not a number fails the read, as it does in kpi.
The events kind also counts each event value per month: the event mapping issue 12 asks of kpi
(kpi itself sums revenue and cost only; the counts cost the engines little beside the scan).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from layouts import EVENTS, KPI_METRICS, META_METRICS, REVIEWED_MONTH

NULLS = ("", "-", "--")


def _metrics(kind: str) -> list[str]:
    metrics = list(KPI_METRICS[kind])
    return [*metrics, *(f"{e}_events" for e in EVENTS)] if kind == "events" else metrics


def _result(rows: Iterable[Sequence[Any]], kind: str) -> dict[str, Any]:
    """Rows of (month, [campaign,] *metric sums) -> the printed JSON (campaign rows summed per month)."""
    metrics = _metrics(kind)
    months: dict[str, dict[str, float | None]] = {}
    by: dict[str, dict[str, float | None]] = {}
    for row in rows:
        month, keyed = str(row[0]), kind == "campaigns"
        values = [_num(v) for v in row[2 if keyed else 1 :]]
        total = months.setdefault(month, dict.fromkeys(metrics))
        for metric, value in zip(metrics, values, strict=True):
            if value is not None:
                total[metric] = (total[metric] or 0.0) + value
        if keyed and month == REVIEWED_MONTH:
            by[str(row[1])] = dict(zip(metrics, values, strict=True))
    return {"months": dict(sorted(months.items())), "by": by}


def _num(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if number != number else number  # NaN: nothing was measured


# --- DuckDB --------------------------------------------------------------------------------------


def duckdb_sums(kind: str, path: str) -> dict[str, Any]:
    import duckdb

    if kind == "meta":
        select = ", ".join(f"sum({_duck_clean(header)})" for header in META_METRICS.values())
        sql = f"""
            SELECT strftime(CAST("Reporting starts" AS DATE), '%Y-%m') AS month, {select}
            FROM read_csv(?, header = true, all_varchar = true)
            WHERE coalesce(trim("Campaign name"), '') <> ''
            GROUP BY ALL"""
    else:
        sums = ", ".join(f"sum({m})" for m in KPI_METRICS[kind])
        if kind == "events":
            sums += ", " + ", ".join(f"count(*) FILTER (WHERE event = '{e}')" for e in EVENTS)
        by = ", campaign" if kind == "campaigns" else ""
        types = {"date": "DATE", **dict.fromkeys(KPI_METRICS[kind], "DOUBLE")}
        sql = f"""
            SELECT strftime(date, '%Y-%m') AS month{by}, {sums}
            FROM read_csv(?, header = true, types = {types!r})
            GROUP BY ALL"""
    return _result(duckdb.connect().execute(sql, [path]).fetchall(), kind)


def _duck_clean(header: str) -> str:
    cell = f'trim("{header}")'
    nulls = ", ".join(f"'{n}'" for n in NULLS)
    return (
        f"CASE WHEN {cell} IS NULL OR {cell} IN ({nulls}) THEN NULL "
        f"ELSE CAST(replace({cell}, ',', '') AS DOUBLE) END"
    )


# --- pandas --------------------------------------------------------------------------------------


def pandas_sums(kind: str, path: str) -> dict[str, Any]:
    import pandas as pd

    if kind == "meta":
        numeric = dict.fromkeys(META_METRICS.values(), "float64")
        frame = pd.read_csv(
            path,
            usecols=["Reporting starts", "Campaign name", *numeric],
            thousands=",",
            na_values=list(NULLS),
            keep_default_na=False,
            dtype=numeric,
        )
        frame = frame[frame["Campaign name"].str.strip() != ""]
        frame = frame.rename(columns={h: m for m, h in META_METRICS.items()})
        dates = frame["Reporting starts"]
    else:
        metrics = list(KPI_METRICS[kind])
        extra = {"campaigns": ["campaign"], "events": ["event"]}.get(kind, [])
        frame = pd.read_csv(path, usecols=["date", *extra, *metrics], dtype=dict.fromkeys(metrics, "float64"))
        dates = frame["date"]
        for event in EVENTS if kind == "events" else ():
            frame[f"{event}_events"] = (frame["event"] == event).astype("int64")
    frame["month"] = pd.to_datetime(dates, format="%Y-%m-%d").dt.strftime("%Y-%m")
    keys = ["month", "campaign"] if kind == "campaigns" else ["month"]
    sums = frame.groupby(keys)[_metrics(kind)].sum(min_count=1).reset_index()
    return _result(sums.itertuples(index=False), kind)


# --- polars --------------------------------------------------------------------------------------


def polars_sums(kind: str, path: str) -> dict[str, Any]:
    import polars as pl

    if kind == "meta":
        named = pl.col("Campaign name").str.strip_chars().fill_null("") != ""
        scan = pl.scan_csv(path, infer_schema=False).filter(named)
        columns = [_polars_clean(pl, h).sum().alias(m) for m, h in META_METRICS.items()]
        keys: list[Any] = [pl.col("Reporting starts").str.to_date("%Y-%m-%d").dt.strftime("%Y-%m")]
    else:
        scan = pl.scan_csv(path, schema_overrides=dict.fromkeys(KPI_METRICS[kind], pl.Float64))
        columns = [pl.col(m).sum() for m in KPI_METRICS[kind]]
        columns += [(pl.col("event") == e).sum().alias(e) for e in (EVENTS if kind == "events" else ())]
        keys = [pl.col("date").str.to_date("%Y-%m-%d").dt.strftime("%Y-%m")]
        keys += [pl.col("campaign")] if kind == "campaigns" else []
    frame = scan.group_by([k.alias(f"key{i}") for i, k in enumerate(keys)]).agg(columns).collect()
    return _result(frame.iter_rows(), kind)


def _polars_clean(pl: Any, header: str) -> Any:
    cell = pl.col(header).str.strip_chars()
    number = cell.str.replace_all(",", "").cast(pl.Float64)  # strict: a bad cell fails the query
    return pl.when(cell.is_null() | cell.is_in(list(NULLS))).then(None).otherwise(number)


ENGINES = {"duckdb": duckdb_sums, "pandas": pandas_sums, "polars": polars_sums}


if __name__ == "__main__":
    engine, kind, csv = sys.argv[1:4]
    print(json.dumps(ENGINES[engine](kind, csv)))
