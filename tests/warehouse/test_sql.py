"""`type: sql` sources: the engine aggregates, only aggregated rows come back; secrets stay out."""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest
from pydantic import ValidationError

from kpi_cli.errors import ConfigError, DataError
from kpi_cli.warehouse import WarehouseSource, read_source
from kpi_cli.warehouse.expression import aggregate
from kpi_cli.warehouse.models import Shape
from kpi_cli.warehouse.templates import apply_template


def sql_source(**keys: object) -> WarehouseSource:
    return WarehouseSource.model_validate({"name": "dwh", "type": "sql", **keys})


def test_only_aggregated_rows_leave_the_engine(tmp_path: Path) -> None:
    # 10,000 raw rows: 20 days x 2 channels, 250 rows each with clicks = 1 and cost = 2.
    database = tmp_path / "marketing.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            """CREATE TABLE daily AS SELECT DATE '2026-10-01' + CAST(i % 20 AS INTEGER) AS date,
               CASE WHEN i % 40 < 20 THEN 'x' ELSE 'line' END AS channel,
               1 AS clicks, 2.0 AS cost FROM range(10000) t(i)"""
        )
    frame = read_source(sql_source(path="marketing.duckdb", table="daily"), tmp_path).frame
    assert len(frame) == 40  # 20 days x 2 channels came back, not 10,000 rows
    assert set(frame["clicks"]) == {250.0} and set(frame["cost"]) == {500.0}
    assert frame["clicks"].sum() == 10000


def test_url_comes_from_the_environment_only(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="environment variable"):
        sql_source(url_env="postgresql://u:pw@host/db", table="t")
    with pytest.raises(ValidationError, match="exactly one of"):
        sql_source(table="t")
    with pytest.raises(ConfigError, match="KPI_WAREHOUSE_URL is not set"):
        read_source(sql_source(url_env="KPI_WAREHOUSE_URL", table="t"), tmp_path, env={})


def test_an_unreachable_server_error_never_shows_the_password(tmp_path: Path) -> None:
    # Port 9 on loopback refuses at once: the driver's message would otherwise quote the URL.
    url = "postgresql://kpi:s3cret-Pa55@127.0.0.1:9/marketing"
    with pytest.raises(DataError) as caught:
        read_source(sql_source(url_env="DWH", table="t"), tmp_path, env={"DWH": url})
    message = str(caught.value)
    assert message.startswith("source 'dwh': ") and "\n" not in message
    assert "s3cret-Pa55" not in message


def test_a_wrong_password_on_the_real_server_is_not_echoed(tmp_path: Path, postgres_url: str) -> None:
    wrong = postgres_url.replace("kpi-test-secret", "Wr0ng-Secret-xyz")
    with pytest.raises(DataError) as caught:
        read_source(sql_source(url_env="DWH", table="t"), tmp_path, env={"DWH": wrong})
    assert "Wr0ng-Secret-xyz" not in str(caught.value) and "kpi-test-secret" not in str(caught.value)


def test_a_missing_table_is_a_data_error(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "m.duckdb")) as con:
        con.execute("CREATE TABLE daily (date DATE, clicks INTEGER)")
    with pytest.raises(DataError, match="source 'dwh'"):
        read_source(sql_source(path="m.duckdb", table="nope"), tmp_path)


# --- GA4's BigQuery export schema (https://support.google.com/analytics/answer/7029846) -----------

GA4_SCHEMA = """event_date VARCHAR, event_timestamp BIGINT, event_name VARCHAR, user_pseudo_id VARCHAR,
    traffic_source STRUCT(name VARCHAR, medium VARCHAR, source VARCHAR),
    ecommerce STRUCT(total_item_quantity BIGINT, purchase_revenue_in_usd DOUBLE, purchase_revenue DOUBLE,
                     unique_items BIGINT, transaction_id VARCHAR)"""
GA4_ROWS = [
    # event_date, event_name, user, campaign, medium, purchase_revenue
    ("20261101", "page_view", "u1", "autumn", "cpc", None),
    ("20261101", "generate_lead", "u1", "autumn", "cpc", None),
    ("20261101", "generate_lead", "u2", "autumn", "cpc", None),
    ("20261101", "purchase", "u1", "autumn", "cpc", 1200.0),
    ("20261101", "purchase", "u3", "(direct)", "(none)", 800.0),
    ("20261102", "generate_lead", "u4", "autumn", "cpc", None),
    ("20261102", "close_convert_lead", "u2", "autumn", "cpc", None),
    ("20261102", "purchase", "u4", "autumn", "cpc", 300.5),
]


@pytest.fixture
def ga4_database(tmp_path: Path) -> Path:
    database = tmp_path / "ga4.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(f'CREATE TABLE "events_*" ({GA4_SCHEMA})')
        for day, name, user, campaign, medium, revenue in GA4_ROWS:
            con.execute(
                """INSERT INTO "events_*" VALUES (?, 0, ?, ?, {'name': ?, 'medium': ?, 'source': 'google'},
                   {'total_item_quantity': 1, 'purchase_revenue_in_usd': ?, 'purchase_revenue': ?,
                    'unique_items': 1, 'transaction_id': NULL})""",
                [day, name, user, campaign, medium, revenue, revenue],
            )
    return database


def test_ga4_template_on_a_table_of_the_export_schema(tmp_path: Path, ga4_database: Path) -> None:
    result = read_source(sql_source(path=ga4_database.name, template="ga4"), tmp_path)
    frame = result.frame.set_index(["date", "campaign"])
    autumn_1 = frame.loc[(pd.Timestamp("2026-11-01"), "autumn")]
    # By hand from GA4_ROWS: 11-01 autumn has 2 generate_lead, 1 purchase of 1200.
    assert (autumn_1["leads"], autumn_1["conversions"], autumn_1["revenue"]) == (2, 1, 1200)
    assert autumn_1["channel"] == "cpc"
    direct = frame.loc[(pd.Timestamp("2026-11-01"), "(direct)")]
    assert (direct["conversions"], direct["revenue"], direct["leads"]) == (1, 800, 0)
    autumn_2 = frame.loc[(pd.Timestamp("2026-11-02"), "autumn")]
    assert (autumn_2["leads"], autumn_2["customers"], autumn_2["revenue"]) == (1, 1, 300.5)
    assert result.unknown_events == {"page_view": 1}  # not in the template's map: reported


def test_ga4_template_keys_can_be_overridden_one_by_one(tmp_path: Path, ga4_database: Path) -> None:
    spec = sql_source(
        path=ga4_database.name,
        template="ga4",
        events={"purchase": "customers"},
        count="distinct user_pseudo_id",
    )
    filled = apply_template(spec)
    assert filled.table == "events_*" and filled.columns["revenue"] == "ecommerce.purchase_revenue"
    frame = read_source(spec, tmp_path).frame
    assert frame["customers"].sum() == 3  # purchases by u1, u3, u4


def test_ga4_expression_compiles_to_bigquery_and_snowflake() -> None:
    """The same expression, unbound, in the dialects whose backends are optional extras."""
    table = ibis.table(
        {
            "event_date": "string",
            "event_name": "string",
            "traffic_source": "struct<name: string, medium: string>",
            "ecommerce": "struct<purchase_revenue: float64>",
        },
        name="events_*",
    )
    spec = apply_template(sql_source(url_env="KPI_WAREHOUSE_URL", template="ga4"))
    expr = aggregate(table, spec, Shape.EVENTS).expr
    bigquery = ibis.to_sql(expr, dialect="bigquery")
    assert "PARSE_DATE('%Y%m%d', `t0`.`event_date`)" in bigquery
    assert "`t0`.`ecommerce`.`purchase_revenue`" in bigquery and "GROUP BY" in bigquery
    snowflake = ibis.to_sql(expr, dialect="snowflake")
    assert "TO_DATE(" in snowflake and 'GET("t0"."ecommerce", \'purchase_revenue\')' in snowflake


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("cannot connect to postgresql://kpi:pw%40x1@db:5432/m", "postgresql://kpi:pw%40x1@db:5432/m"),
        ("bad option in snowflake://kpi@acct/db?password=pw%40x1&warehouse=wh", None),
        ("login failed for 'kpi' with pw@x1", "postgresql://kpi:pw%40x1@db/m"),
    ],
)
def test_redact_removes_the_password_in_every_spelling(text: str, url: str | None) -> None:
    from kpi_cli.warehouse.engines import redact

    cleaned = redact(text, url)
    assert "pw%40x1" not in cleaned and "pw@x1" not in cleaned and "***" in cleaned


def test_a_struct_where_a_dimension_belongs_is_a_data_error(tmp_path: Path, ga4_database: Path) -> None:
    spec = sql_source(path=ga4_database.name, template="ga4", columns={"campaign": "traffic_source"})
    with pytest.raises(DataError, match="source 'dwh'"):
        read_source(spec, tmp_path)
