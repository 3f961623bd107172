"""Event-level sources (`platform: events`): each event value counts its rows into one metric."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pydantic import ValidationError

from kpi_cli.errors import DataError
from kpi_cli.warehouse import EventsSource, read_source

FUNNEL = {"impression": "impressions", "click": "clicks", "lead": "leads", "closed": "customers"}

# 12 events on 2 days, 2 campaigns; `bogus` and the blank event are not in the map.
EVENTS_CSV = """\
date,campaign,channel,event,contact_id,revenue,cost
2026-11-01,spring,x,impression,c1,,1.5
2026-11-01,spring,x,impression,c2,,1.5
2026-11-01,spring,x,impression,c1,,1.5
2026-11-01,spring,x,click,c1,,
2026-11-01,spring,x,lead,c1,,
2026-11-01,spring,x,lead,c1,,
2026-11-01,spring,x,lead,c2,,
2026-11-02,spring,x,closed,c1,5000,
2026-11-02,001,instagram,impression,c3,,2
2026-11-02,001,instagram,bogus,c3,,
2026-11-02,001,instagram,,c3,,
2026-11-02,001,instagram,closed,c3,1200.5,
"""


def spec(**extra: object) -> EventsSource:
    return EventsSource.model_validate(
        {"name": "ma", "path": "events.csv", "platform": "events", "events": FUNNEL, **extra}
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "events.csv").write_text(EVENTS_CSV, encoding="utf-8")
    return tmp_path


def row(frame: pd.DataFrame, day: str, campaign: str) -> pd.Series:
    found = frame[(frame["date"] == pd.Timestamp(day)) & (frame["campaign"] == campaign)]
    assert len(found) == 1
    return found.iloc[0]


def test_each_event_counts_its_rows_against_a_hand_count(folder: Path) -> None:
    result = read_source(spec(), folder)
    frame = result.frame
    # One row per day x campaign x channel present: (11-01 spring x), (11-02 spring x), (11-02 001 instagram).
    assert len(frame) == 3
    assert list(frame.columns[:4]) == ["date", "campaign", "channel", "impressions"]
    first = row(frame, "2026-11-01", "spring")
    # Counted by hand from EVENTS_CSV: 3 impressions, 1 click, 3 leads, no closed; cost 1.5 x 3.
    assert (first["impressions"], first["clicks"], first["leads"], first["customers"]) == (3, 1, 3, 0)
    assert first["cost"] == 4.5
    assert pd.isna(first["revenue"])  # no revenue cell on that day: not measured, not 0
    second = row(frame, "2026-11-02", "spring")
    assert (second["impressions"], second["customers"], second["revenue"]) == (0, 1, 5000)
    third = row(frame, "2026-11-02", "001")  # a campaign id stays text: not the number 1
    assert (third["impressions"], third["customers"], third["revenue"], third["cost"]) == (1, 1, 1200.5, 2)
    assert third["channel"] == "instagram"


def test_an_unknown_event_value_is_reported_not_dropped_silently(folder: Path) -> None:
    result = read_source(spec(), folder)
    assert result.unknown_rows == 2
    assert result.unknown_events == {"bogus": 1, "(empty)": 1}


def test_a_mapped_value_leaves_the_report_and_a_blank_event_stays_in_it(folder: Path) -> None:
    result = read_source(spec(events={**FUNNEL, "bogus": "conversions"}), folder)
    assert result.unknown_rows == 1 and result.unknown_events == {"(empty)": 1}
    assert row(result.frame, "2026-11-02", "001")["conversions"] == 1


def test_count_distinct_contacts_instead_of_rows(folder: Path) -> None:
    frame = read_source(spec(count="distinct contact_id"), folder).frame
    first = row(frame, "2026-11-01", "spring")
    # By hand: impressions by c1, c2, c1 -> 2 contacts; leads by c1, c1, c2 -> 2; click by c1 -> 1.
    assert (first["impressions"], first["leads"], first["clicks"]) == (2, 2, 1)


def test_one_event_may_count_distinct_while_others_count_rows(folder: Path) -> None:
    events = {**FUNNEL, "lead": {"metric": "leads", "count": "distinct contact_id"}}
    first = row(read_source(spec(events=events), folder).frame, "2026-11-01", "spring")
    assert (first["impressions"], first["leads"]) == (3, 2)  # rows for impressions, contacts for leads


def test_two_events_feeding_one_metric_count_a_contact_once(folder: Path) -> None:
    events = {"click": "clicks", "lead": "leads", "impression": "leads"}
    first = row(
        read_source(spec(events=events, count="distinct contact_id"), folder).frame, "2026-11-01", "spring"
    )
    assert first["leads"] == 2  # c1 and c2 did an impression or a lead; each counted once


def test_parquet_gives_the_same_frame_as_csv(folder: Path) -> None:
    # Written by DuckDB with typed columns: a DATE, text campaigns, doubles for money.
    duckdb.sql(
        f"""COPY (SELECT * FROM read_csv('{folder / "events.csv"}', types={{'campaign': 'VARCHAR'}}))
            TO '{folder / "events.parquet"}' (FORMAT parquet)"""
    )
    from_csv = read_source(spec(), folder).frame
    from_parquet = read_source(spec(path="events.parquet"), folder).frame
    pd.testing.assert_frame_equal(from_csv, from_parquet)


def test_columns_rename_and_dimensions_absent_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(
        "Day,Kind,Amount\n2026-11-01,open,3\n2026-11-01,open,2\n", encoding="utf-8"
    )
    source = EventsSource.model_validate(
        {
            "name": "mail",
            "path": "log.csv",
            "platform": "events",
            "event_column": "Kind",
            "columns": {"date": "Day", "revenue": "Amount"},
            "events": {"open": "opens"},
        }
    )
    frame = read_source(source, tmp_path).frame
    assert list(frame.columns) == ["date", "revenue", "opens"]  # metrics in canonical.METRICS order
    assert frame.iloc[0].tolist() == [pd.Timestamp("2026-11-01"), 5.0, 2.0]


def test_glob_over_several_files_sums_them(folder: Path) -> None:
    (folder / "events.csv").rename(folder / "events-1.csv")
    (folder / "events-2.csv").write_text(
        "date,campaign,channel,event\n2026-11-01,spring,x,click\n", encoding="utf-8"
    )
    frame = read_source(spec(path="events-*.csv"), folder).frame
    assert row(frame, "2026-11-01", "spring")["clicks"] == 2  # 1 in each file


def test_event_map_must_name_canonical_metrics() -> None:
    with pytest.raises(ValidationError, match="not a canonical metric"):
        spec(events={"lead": "signups"})
    with pytest.raises(ValidationError, match="distinct COLUMN"):
        spec(count="unique contact_id")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("when,event\n2026-11-01,lead\n", "no `date` column"),
        ("date,kind\n2026-11-01,lead\n", "no column 'event'"),
        ("date,event,revenue\n2026-11-01,lead,lots\n", "'lots'"),
        ("date,event,revenue\n2026-11-01,lead,true\n", r"'revenue' \(revenue\) is not numeric"),
    ],
)
def test_bad_files_are_data_errors_naming_the_source(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "events.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        read_source(spec(), tmp_path)
    assert "source 'ma'" in str(caught.value) and "\n" not in str(caught.value)


def test_a_date_that_does_not_parse_is_one_line_data_error(tmp_path: Path) -> None:
    lines = ["date,event"] + ["2026-11-01,lead"] * 5 + ["\x1b[2Jnot a date,lead"]
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_source(spec(), tmp_path)
    message = str(caught.value)
    assert message.startswith("source 'ma': ") and "\n" not in message and "\x1b" not in message


def test_missing_file_and_folder_are_data_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        read_source(spec(), tmp_path)
    (tmp_path / "events.csv").mkdir()
    with pytest.raises(DataError, match="is a directory"):
        read_source(spec(), tmp_path)


def test_dimensions_limit_the_grouping_to_the_reviews_grain(folder: Path) -> None:
    frame = read_source(spec(), folder, dimensions=["channel"]).frame
    assert list(frame.columns[:2]) == ["date", "channel"] and "campaign" not in frame.columns
    # 11-02 had spring/x and 001/instagram: grouped by channel they stay two rows, 3 rows in all.
    assert len(frame) == 3
    per_day = read_source(spec(), folder, dimensions=[]).frame
    assert len(per_day) == 2 and per_day["customers"].tolist() == [0, 2]


def test_importing_the_models_loads_no_engine() -> None:
    """The config validates these models; `kpi --help` and `kpi validate` must not pay for DuckDB/Ibis."""
    import subprocess
    import sys

    script = "import sys, kpi_cli.warehouse; print(sorted({'duckdb', 'ibis'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    script = "import sys; from kpi_cli.cli import main; main(['--help'])"
    script += "\nprint(sorted({'duckdb', 'ibis'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_file_with_only_a_header_gives_an_empty_frame(tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text("date,campaign,event,revenue\n", encoding="utf-8")
    result = read_source(spec(), tmp_path)
    assert len(result.frame) == 0 and result.unknown_rows == 0
    assert {"date", "campaign", "impressions", "revenue"} <= set(result.frame.columns)


@pytest.mark.parametrize(
    ("cells", "extra"),
    [
        (["2026-11-01 00:00:01", "2026-11-01 23:59:59", "2026-11-02 08:00:00"], {}),  # timestamps
        (["20261101", "20261101", "20261102"], {"date_format": "%Y%m%d"}),  # GA4-style, read as numbers
        (["2026/11/01", "2026/11/01", "2026/11/02"], {"date_format": "%Y/%m/%d"}),
    ],
)
def test_dates_in_other_shapes_fall_on_their_day(
    tmp_path: Path, cells: list[str], extra: dict[str, str]
) -> None:
    lines = ["date,event", *(f"{cell},lead" for cell in cells)]
    (tmp_path / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read_source(spec(**extra), tmp_path).frame
    assert frame["date"].tolist() == [pd.Timestamp("2026-11-01"), pd.Timestamp("2026-11-02")]
    assert frame["leads"].tolist() == [2, 1]
