"""Local CSV and Parquet event logs are aggregated by SQL kpi writes (warehouse/local_sql.py), not
through Ibis: it must give the very frame and unknown-event report that the Ibis path gives on the
same files, and hand back to Ibis whatever it does not handle the same way."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from kpi_cli.errors import DataError
from kpi_cli.warehouse import EventsSource, WarehouseSource, engines, local_sql, reader
from kpi_cli.warehouse.models import UNKNOWN_EVENTS, Shape

from .test_events import EVENTS_CSV, FUNNEL

Spec = EventsSource | WarehouseSource


def events(**extra: object) -> EventsSource:
    return EventsSource.model_validate(
        {"name": "ma", "path": "events.csv", "platform": "events", "events": FUNNEL, **extra}
    )


def both_paths(
    spec: Spec, folder: Path, monkeypatch: pytest.MonkeyPatch, dimensions: list[str] | None = None
) -> reader.WarehouseRead:
    """Read through kpi's SQL (asserting it was taken), then through Ibis; they must be equal."""
    files = engines.local_files(spec, folder)
    shape = Shape.EVENTS if isinstance(spec, EventsSource) else spec.platform
    assert local_sql.read(spec, files, engines.kind_of(files[0]), shape, dimensions) is not None
    direct = reader.read_source(spec, folder, dimensions=dimensions)
    with monkeypatch.context() as patch:
        patch.setattr(local_sql, "read", lambda *_args: None)
        through_ibis = reader.read_source(spec, folder, dimensions=dimensions)
    pd.testing.assert_frame_equal(direct.frame, through_ibis.frame, check_exact=True)
    assert direct.unknown_events == through_ibis.unknown_events
    assert direct.unknown_rows == through_ibis.unknown_rows
    return direct


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "events.csv").write_text(EVENTS_CSV, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"count": "distinct contact_id"},
        {"events": {**FUNNEL, "bogus": "conversions"}},
        # two events into one metric, one counted as distinct contacts
        {"events": {"impression": "leads", "lead": {"metric": "leads", "count": "distinct contact_id"}}},
    ],
)
def test_csv_event_maps_give_the_ibis_frame(
    folder: Path, monkeypatch: pytest.MonkeyPatch, extra: Any
) -> None:
    read = both_paths(events(**extra), folder, monkeypatch)
    if not extra:  # the blank event (NULL) and `bogus` are reported, as counted by hand in test_events
        assert read.unknown_events == {"(empty)": 1, "bogus": 1} and read.unknown_rows == 2


@pytest.mark.parametrize("dimensions", [None, ["channel"], []])
def test_parquet_and_the_reviews_grain_give_the_ibis_frame(
    folder: Path, monkeypatch: pytest.MonkeyPatch, dimensions: list[str] | None
) -> None:
    duckdb.sql(
        f"""COPY (SELECT * FROM read_csv('{folder / "events.csv"}', types={{'campaign': 'VARCHAR'}}))
            TO '{folder / "events.parquet"}' (FORMAT parquet)"""
    )
    both_paths(events(path="events.parquet"), folder, monkeypatch, dimensions)
    both_paths(events(), folder, monkeypatch, dimensions)


def test_several_files_with_different_columns(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / "events.csv").rename(folder / "events-1.csv")
    (folder / "events-2.csv").write_text(
        "date,campaign,channel,event,cost,extra\n2026-11-01,spring,x,click,4,z\n", encoding="utf-8"
    )
    read = both_paths(events(path="events-*.csv"), folder, monkeypatch)
    assert read.frame["cost"].sum() == 1.5 * 3 + 2 + 4  # every cost cell of both files


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        # text dates in a stated format, renamed columns, an event column of numbers
        (
            "Day,Kind,Amount,who\n2026/11/01,1,3,a\n2026/11/01,1,2,b\n2026/11/02,2,1.5,a\n",
            {
                "columns": {"date": "Day", "revenue": "Amount"},
                "event_column": "Kind",
                "date_format": "%Y/%m/%d",
            },
        ),
        # 20261101 stored as a number
        ("date,event,cost\n20261101,1,3\n20261102,2,4\n", {"date_format": "%Y%m%d"}),
        # timestamps lose their time; a money column with blanks only is read as text and summed
        ("date,event,revenue\n2026-11-01 23:59:00,1,\n2026-11-02 00:00:01,3,\n", {}),
    ],
)
def test_dates_renames_and_types_give_the_ibis_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, extra: dict[str, object]
) -> None:
    (tmp_path / "events.csv").write_text(text, encoding="utf-8")
    read = both_paths(events(events={"1": "opens", "2": "clicks"}, **extra), tmp_path, monkeypatch)
    assert len(read.frame) == 2


def test_a_sql_source_of_local_files_gives_the_ibis_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "daily.csv").write_text(
        "date,campaign,impressions,clicks,cost\n2026-11-01,a,100,3,2.5\n2026-11-01,a,50,1,1\n"
        "2026-11-02,b,10,0,0.25\n",
        encoding="utf-8",
    )
    spec = WarehouseSource.model_validate({"name": "daily", "type": "sql", "path": "daily.csv"})
    read = both_paths(spec, tmp_path, monkeypatch)
    assert read.frame["impressions"].tolist() == [150.0, 10.0]  # 100 + 50 on the 1st


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        ("date,event\n2026-11-01,1\n", {"columns": {"campaign": "nope"}}, "no column 'nope'"),
        ("date,event\n20261101,1\n", {}, "the date column is int64"),
        ("date,event,revenue\n2026-11-01,1,true\n", {}, "is not numeric"),
        ("date,event,revenue\n2026-11-01,1,lots\n", {}, "'lots'"),
        ("date,event,opens\n2026-11-01,1,4\n", {}, "both counted from events and a column"),
    ],
)
def test_what_it_does_not_handle_goes_to_ibis_and_its_message(
    tmp_path: Path, text: str, extra: dict[str, object], message: str
) -> None:
    (tmp_path / "events.csv").write_text(text, encoding="utf-8")
    spec = events(events={"1": "opens"}, **extra)
    files = engines.local_files(spec, tmp_path)
    assert local_sql.read(spec, files, "csv", Shape.EVENTS, None) is None
    with pytest.raises(DataError, match=message):
        reader.read_source(spec, tmp_path)


def test_a_quote_in_a_name_or_value_is_data_not_sql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "it's.csv").write_text(
        'date,"ev""ent",cost\n2026-11-01,"o\'pen",1\n2026-11-01,x,2\n', encoding="utf-8"
    )
    spec = events(path="it's.csv", event_column='ev"ent', events={"o'pen": "opens"})
    read = both_paths(spec, tmp_path, monkeypatch)
    assert read.frame["opens"].tolist() == [1.0] and read.unknown_events == {"x": 1}


def test_a_local_event_log_is_read_without_importing_ibis(folder: Path) -> None:
    script = (
        "import sys\nfrom pathlib import Path\nfrom kpi_cli.warehouse import EventsSource, read_source\n"
        f"spec = EventsSource.model_validate({{'name': 'ma', 'path': 'events.csv', 'platform': 'events', "
        f"'events': {FUNNEL!r}}})\n"
        f"read_source(spec, Path({str(folder)!r}))\nprint('ibis' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
    assert done.stderr == ""  # nor DuckDB's warning that Arrow from `execute` copies the rows


@pytest.mark.parametrize(
    ("extra", "derived"),
    [
        ({}, True),
        # two events into one metric, both by rows: each known value is still in exactly one part
        ({"events": {"impression": "leads", "lead": "leads", "click": "clicks"}}, True),
        # a distinct count does not add up to rows: the unknown rows keep their own filter
        ({"count": "distinct contact_id"}, False),
    ],
)
def test_unknown_rows_are_all_rows_less_the_known_ones_when_every_event_counts_rows(
    folder: Path, monkeypatch: pytest.MonkeyPatch, extra: dict[str, object], derived: bool
) -> None:
    spec = events(**extra)
    files = engines.local_files(spec, folder)
    sqls: list[str] = []
    real = local_sql._arrow
    monkeypatch.setattr(local_sql, "_arrow", lambda c, sql: sqls.append(sql) or real(c, sql))
    read = local_sql.read(spec, files, "csv", Shape.EVENTS, [])
    assert read is not None
    assert ("COUNT(*) - (" in sqls[0]) is derived and ("NOT COALESCE" in sqls[0]) is not derived
    # By hand from EVENTS_CSV: 8 rows on 2026-11-01, all mapped; 4 on 2026-11-02, of which `bogus`
    # and the blank event are not in any map here (`closed` is unmapped in the second map: +2).
    unmapped_closed = 0 if "closed" in spec.event_counts() else 2
    by_day = dict(zip(read.result["date"].to_pylist(), read.result[UNKNOWN_EVENTS].to_pylist(), strict=True))
    assert by_day == {date(2026, 11, 1): 0.0, date(2026, 11, 2): 2.0 + unmapped_closed}
    both_paths(spec, folder, monkeypatch, [])


class _Recording:
    """A DuckDB connection that records the statements it is given (`sql` makes a relation)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, calls: list[tuple[str, str]]) -> None:
        self._connection, self._calls = connection, calls

    def execute(self, sql: str) -> duckdb.DuckDBPyConnection:
        self._calls.append(("execute", sql))
        return self._connection.execute(sql)

    def sql(self, sql: str) -> duckdb.DuckDBPyRelation:
        self._calls.append(("sql", sql))
        return self._connection.sql(sql)

    def close(self) -> None:
        self._connection.close()


def test_each_statement_on_the_csv_binds_it_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Binding a CSV scan sniffs the file (~50 ms on the 10M-row benchmark). A relation from
    `connection.sql` is bound when it is made and again when it runs: a second sniff per query,
    which kpi paid until its queries went through `execute`. Here: the DESCRIBE, the aggregate,
    and (EVENTS_CSV has unknown events) the query naming them."""
    calls: list[tuple[str, str]] = []
    real = duckdb.connect
    monkeypatch.setattr(local_sql.duckdb, "connect", lambda: _Recording(real(), calls))
    spec = events()
    assert local_sql.read(spec, engines.local_files(spec, folder), "csv", Shape.EVENTS, None) is not None
    scans = [(how, sql.split()[0]) for how, sql in calls if "read_csv" in sql]
    assert scans == [("execute", "DESCRIBE"), ("execute", "SELECT"), ("execute", "SELECT")]
