"""One dataset as CSV, Parquet, a DuckDB table and a PostgreSQL table: identical canonical frames."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from kpi_cli.warehouse import EventsSource, WarehouseSource, read

EVENTS = {"impression": "impressions", "click": "clicks", "lead": "leads", "closed": "customers"}
KEYS = {"platform": "events", "events": EVENTS}


def event_log(rows: int = 600, seed: int = 12) -> pd.DataFrame:
    """Events over 3 weeks, 3 campaigns (one id looks like a number), 2 channels, 2 segments.

    Money is in whole yen and quarter yen so that every engine's float sums are exact whatever
    order it adds in; blank campaign and segment cells test NULL dimensions.
    """
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "date": pd.Timestamp("2026-10-20") + pd.to_timedelta(rng.integers(0, 21, rows), unit="D"),
            "campaign": rng.choice(np.array(["autumn", "007", None], dtype=object), rows),
            "channel": rng.choice(["x", "line"], rows),
            "segment": rng.choice(np.array(["smb", "enterprise", None], dtype=object), rows),
            "event": rng.choice(["impression"] * 6 + ["click"] * 3 + ["lead", "closed", "bounce"], rows),
            "contact_id": [f"c{i}" for i in rng.integers(0, 80, rows)],
            "revenue": np.where(rng.random(rows) < 0.2, rng.integers(1, 400, rows) * 250.0, np.nan),
            "cost": rng.integers(0, 40, rows) * 0.25,
        }
    )
    frame["date"] = frame["date"].dt.date
    return frame


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    log = event_log()
    log.to_csv(tmp_path / "events.csv", index=False)
    with duckdb.connect(str(tmp_path / "events.duckdb")) as con:
        con.register("log", log)
        con.execute("CREATE TABLE events AS SELECT CAST(date AS DATE) AS date, * EXCLUDE (date) FROM log")
        con.execute(f"COPY events TO '{tmp_path / 'events.parquet'}' (FORMAT parquet)")
    return tmp_path, log


@pytest.fixture
def postgres_table(postgres_url: str, copies: tuple[Path, pd.DataFrame]) -> Iterator[str]:
    import psycopg

    name = f"events_{uuid.uuid4().hex[:8]}"
    _, log = copies
    with psycopg.connect(postgres_url) as con:
        con.execute(
            f"""CREATE TABLE {name} (date date, campaign text, channel text, segment text, event text,
                contact_id text, revenue double precision, cost double precision)"""
        )
        with con.cursor().copy(f"COPY {name} FROM STDIN") as copy:
            for record in log.itertuples(index=False):
                copy.write_row([None if pd.isna(v) else v for v in record])
    yield name
    with psycopg.connect(postgres_url) as con:
        con.execute(f"DROP TABLE {name}")


@pytest.mark.parametrize("count", ["rows", "distinct contact_id"])
def test_csv_parquet_and_duckdb_give_identical_frames(copies: tuple[Path, pd.DataFrame], count: str) -> None:
    folder, log = copies
    from_csv = read(
        EventsSource.model_validate({"name": "e", "path": "events.csv", "count": count, **KEYS}), folder
    )
    from_parquet = read(
        EventsSource.model_validate({"name": "e", "path": "events.parquet", "count": count, **KEYS}), folder
    )
    from_duckdb = read(
        WarehouseSource.model_validate(
            {"name": "e", "type": "sql", "path": "events.duckdb", "table": "events", "count": count, **KEYS}
        ),
        folder,
    )
    pd.testing.assert_frame_equal(from_csv, from_parquet)
    pd.testing.assert_frame_equal(from_csv, from_duckdb)
    _agrees_with_pandas(from_csv, log, count)


def test_postgresql_gives_the_same_frame(
    copies: tuple[Path, pd.DataFrame], postgres_url: str, postgres_table: str
) -> None:
    folder, _ = copies
    from_csv = read(EventsSource.model_validate({"name": "e", "path": "events.csv", **KEYS}), folder)
    from_postgres = read(
        WarehouseSource.model_validate(
            {"name": "e", "type": "sql", "url_env": "PG", "table": postgres_table, **KEYS}
        ),
        folder,
        env={"PG": postgres_url},
    )
    pd.testing.assert_frame_equal(from_csv, from_postgres)


def _agrees_with_pandas(frame: pd.DataFrame, log: pd.DataFrame, count: str) -> None:
    """An independent reference: the same sums computed by pandas on the raw log."""
    keys = ["date", "campaign", "channel", "segment"]
    raw = log.assign(date=pd.to_datetime(log["date"]))
    grouped = raw.groupby(keys, dropna=False)
    for event, metric in EVENTS.items():
        hit = raw[raw["event"] == event]
        per = hit.groupby(keys, dropna=False)
        counted = per["contact_id"].nunique() if count != "rows" else per.size()
        expected = counted.reindex(grouped.size().index, fill_value=0).astype(float)
        got = frame.set_index(keys)[metric]
        assert got.sort_index().tolist() == expected.sort_index().tolist(), metric
    cost = grouped["cost"].sum(min_count=1)
    assert frame.set_index(keys)["cost"].sort_index().tolist() == cost.sort_index().tolist()
    assert len(frame) == grouped.ngroups
