"""Event-level and `type: sql` sources wired into the config and the review: one config over CSV,
Parquet, DuckDB and PostgreSQL copies of the same event log gives identical KPIs and findings."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from kpi_cli.cli import main
from kpi_cli.commands.evaluation import Scope, evaluate
from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError
from tests.warehouse.test_identical import event_log

EVENTS = "{impression: impressions, click: clicks, lead: leads, closed: customers}"
AS_OF = date(2026, 11, 9)

# The same events, four ways; `{table}` is the PostgreSQL table the fixture creates.
SOURCES = {
    "csv": f"{{name: ma, path: events.csv, platform: events, events: {EVENTS}}}",
    "parquet": f"{{name: ma, path: events.parquet, platform: events, events: {EVENTS}}}",
    "duckdb": f"{{name: ma, type: sql, path: events.duckdb, table: events, platform: events, events: {EVENTS}}}",
    "postgres": f"{{name: ma, type: sql, url_env: KPI_EVENTS_URL, table: {{table}}, platform: events, events: {EVENTS}}}",
}

CONFIG = """version: 1
name: events wired
sources:
  - {source}
  - {{name: crm, path: crm.csv, platform: generic}}
metrics: {{cpa: cost / customers}}
kgi: {{name: Revenue, metric: revenue, target: 400000, start: 2026-10-01, deadline: 2026-12-31}}
kpis:
  - {{id: leads, metric: leads, target: 60, primary: true, owner: a, review_by: 2026-12-31, segments: all}}
  - {{id: clicks, metric: clicks, target: 200, owner: b, review_by: 2026-12-31, where: {{channel: x}}}}
  - {{id: cpa, metric: cpa, target: 30, direction: down, owner: c, review_by: 2026-12-31}}
  - {{id: opportunities, metric: opportunities, target: 10, owner: d, review_by: 2026-12-31}}
funnel:
  stages:
    - {{name: Impressions, metric: impressions}}
    - {{name: Clicks, metric: clicks}}
    - {{name: Leads, metric: leads}}
    - {{name: Won, metric: customers}}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    log = event_log()
    log.to_csv(tmp_path / "events.csv", index=False)
    with duckdb.connect(str(tmp_path / "events.duckdb")) as con:
        con.register("log", log)
        con.execute("CREATE TABLE events AS SELECT CAST(date AS DATE) AS date, * EXCLUDE (date) FROM log")
        con.execute(f"COPY events TO '{tmp_path / 'events.parquet'}' (FORMAT parquet)")
    # A plain CSV export beside the event source: the mixed config the review must read.
    days = pd.date_range("2026-10-01", "2026-11-09", freq="D")
    crm = pd.DataFrame(
        {"date": days.strftime("%Y-%m-%d"), "opportunities": [i % 3 for i in range(len(days))]}
    )
    crm.to_csv(tmp_path / "crm.csv", index=False)
    return tmp_path


@pytest.fixture
def postgres_table(postgres_url: str) -> Iterator[str]:
    import psycopg

    name = f"events_{uuid.uuid4().hex[:8]}"
    log = event_log()
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


def write_config(folder: Path, kind: str, table: str = "") -> Path:
    path = folder / f"{kind}.yaml"
    path.write_text(CONFIG.format(source=SOURCES[kind].replace("{table}", table)), encoding="utf-8")
    return path


def check_json(config: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    # --no-history: the runs compare sources, and a remembered run would make the next 'ongoing'
    args = ["check", "-c", str(config), "--as-of", AS_OF.isoformat(), "--format", "json", "--no-history"]
    code = main([*args, *extra])
    captured = capsys.readouterr()
    out = captured.out
    assert code in (0, 1), captured.err
    result: dict[str, object] = json.loads(out)
    return {key: result[key] for key in ("status", "kgi", "kpis", "findings")}


def test_csv_parquet_and_duckdb_give_identical_findings(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = {kind: check_json(write_config(folder, kind), capsys) for kind in ("csv", "parquet", "duckdb")}
    assert results["csv"] == results["parquet"] == results["duckdb"]
    assert results["csv"]["findings"], "the comparison must cover real findings, not an empty list"


def test_postgresql_gives_the_same_findings(
    folder: Path,
    postgres_url: str,
    postgres_table: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KPI_EVENTS_URL", postgres_url)
    from_csv = check_json(write_config(folder, "csv"), capsys)
    assert check_json(write_config(folder, "postgres", postgres_table), capsys) == from_csv


def test_the_review_counts_what_a_hand_count_of_the_log_gives(folder: Path) -> None:
    """Reference: pandas over the raw log, independent of DuckDB and of the review's code."""
    log = event_log()
    november = log[
        (pd.to_datetime(log["date"]) >= "2026-11-01") & (pd.to_datetime(log["date"]) <= "2026-11-09")
    ]
    leads = int((november["event"] == "lead").sum())
    smb_leads = int(((november["event"] == "lead") & (november["segment"] == "smb")).sum())
    x_clicks = int(((november["event"] == "click") & (november["channel"] == "x")).sum())
    review = evaluate(load_config(write_config(folder, "duckdb")), Scope(AS_OF))
    views = {(v.kpi.id, v.segment): v.progress.actual for v in review.kpis}
    assert views[("leads", None)] == leads
    assert views[("leads", "smb")] == smb_leads
    assert views[("clicks", None)] == x_clicks
    assert views[("opportunities", None)] == sum(i % 3 for i in range(31, 40))  # crm.csv, Nov 1-9


def test_validate_and_review_read_a_mixed_config(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(folder, "duckdb")
    assert main(["validate", "-c", str(config)]) == 0
    out = capsys.readouterr().out
    assert "ok: 2 source(s)" in out
    # `bounce` is in the log but not in the map: said, never dropped silently.
    bounces = int((event_log()["event"] == "bounce").sum())
    assert f"{bounces:,} event row(s) whose value the `events:` map does not name" in out and "bounce" in out
    assert main(["review", "-c", str(config), "--as-of", AS_OF.isoformat(), "--by", "campaign"]) in (0, 1)
    assert "007" in capsys.readouterr().out  # a campaign id that looks like a number stays text


def test_a_url_source_needs_its_variable_and_never_a_url_in_the_yaml(folder: Path) -> None:
    config = write_config(folder, "postgres", "t")
    os.environ.pop("KPI_EVENTS_URL", None)
    with pytest.raises(Exception, match="environment variable KPI_EVENTS_URL is not set"):
        evaluate(load_config(config), Scope(AS_OF))
    text = config.read_text(encoding="utf-8").replace(
        "url_env: KPI_EVENTS_URL", "url_env: 'postgresql://u:p@h/db'"
    )
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"url_env names an environment variable"):
        load_config(config)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{name: a, path: x.csv, pathx: 1}", r"unknown key 'pathx' at .*:4, did you mean 'path'\?"),
        (
            f"{{name: a, path: e.csv, platform: events, evnt_column: e, events: {EVENTS}}}",
            r"unknown key 'evnt_column' at .*:4, did you mean 'event_column'\?",
        ),
        (
            "{name: a, type: sqll, path: x.duckdb}",
            r"invalid value for 'sources\[0\].type' at .*:4: expected 'sql'",
        ),
        (
            "{name: a, type: sql, table: t}",
            r"'sources\[0\]' at .*:4: a `type: sql` source needs exactly one of",
        ),
        ("{name: a, path: e.csv, platform: events}", r"platform: events needs an `events:` map"),
        (
            "{name: a, path: e.csv, platform: events, events: {lead: leeds}}",
            r"'leeds' is not a canonical metric",
        ),
    ],
)
def test_source_keys_are_checked_with_their_line(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        CONFIG.format(source=source).replace("  - {name: crm, path: crm.csv, platform: generic}\n", "")
    )
    with pytest.raises(ConfigError, match=message):
        load_config(path)
