"""Reports of totals without a date column: the range from the preamble or the source (period.py).

Where the layouts come from (second-hand: no real download is checked in anywhere we could find;
these are the layouts public projects' parsers quote in their own tests):
- GA4: `# Start date: 20231001` / `# End date: 20231031` comment lines above a report without a
  date dimension (`Country ID,Users`), quoted in an Angular project's CSV-parsing test; the
  Japanese UI's `# 開始日: 20260817` / `# 終了日: 20260913` inside the `# ----` block above
  `ページパス + クエリ文字列,表示回数,...`, quoted in a GA4 page-report parser's test. The comment
  block and the channel-group headers are those of this suite's GA4 fixtures.
- Google Ads: `Campaign report`, then `"September 1, 2026 - September 30, 2026"`, then
  `Campaign status,Campaign,...,Impr.,Clicks,Cost,Conversions,...` (no `Day`), quoted in two
  projects' Google Ads import tests (one with the `1 September 2026 - 30 September 2026` form).
GUESS: every figure (worked out by hand in the comments).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pydantic import ValidationError

from kpi_cli.commands.inspect import describe
from kpi_cli.config.models import SourceConfig
from kpi_cli.errors import DataError
from kpi_cli.ingest import SourceSpan
from kpi_cli.sources import read_export
from kpi_cli.sources.period import Span, from_source
from kpi_cli.spans import placed
from tests.sources.conftest import FIXTURES

GA4 = FIXTURES / "ga4/traffic_acquisition_period_total.csv"
GA4_JA = FIXTURES / "ga4/traffic_acquisition_period_total_ja.csv"
ADS = FIXTURES / "google_ads/campaign_report_period_total.csv"
ADS_ACROSS = FIXTURES / "google_ads/campaign_report_across_months.csv"
OCTOBER = (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"))


def _ranges(frame: pd.DataFrame) -> set[tuple[pd.Timestamp, pd.Timestamp]]:
    return set(zip(frame["date"], frame["date_end"], strict=True))


def _by_month(frame: pd.DataFrame, metric: str) -> dict[str, float]:
    return frame.groupby(frame["date"].dt.strftime("%Y-%m"))[metric].sum().to_dict()


def test_ga4_start_and_end_date_lines_date_every_row_as_a_total_of_october():
    export = read_export(GA4)
    assert export.platform == "ga4"
    assert _ranges(export.frame) == {OCTOBER}
    # 24 + 20 + 13 key events, 182,000 + 130,000 + 100,000 revenue; `Grand total` is not counted.
    assert _by_month(export.frame, "conversions") == {"2026-10": 57.0}
    assert _by_month(export.frame, "revenue") == {"2026-10": 412000.0}
    assert (export.columns["date"], export.columns["date_end"]) == (
        "first day (lines 7-8)",
        "last day (lines 7-8)",
    )
    assert [(s.line, s.reason) for s in export.skipped][-3:] == [
        (7, "comment before the header"),
        (8, "comment before the header"),
        (10, "summary row"),
    ]


def test_ga4_japanese_kaishibi_and_shuuryoubi_lines():
    export = read_export(GA4_JA)
    assert _ranges(export.frame) == {OCTOBER}
    # 18 + 13 キーイベント, 150,000 + 100,000 合計収益; the `総計` row is a summary.
    assert _by_month(export.frame, "conversions") == {"2026-10": 31.0}
    assert _by_month(export.frame, "revenue") == {"2026-10": 250000.0}
    assert (10, "summary row") in [(s.line, s.reason) for s in export.skipped]


def test_google_ads_range_line_dates_a_report_without_a_day_column():
    export = placed("ads", read_export(ADS), None)
    assert _ranges(export.frame) == {OCTOBER}
    # Brand + Generic; the paused campaign's ` --` is not measured; `Total: …` rows are summaries.
    assert describe(export)["date_range"] == ["2026-10-01", "2026-10-31"]  # not 1 to 1 October
    assert _by_month(export.frame, "cost") == {"2026-10": 274500.0}  # 94,500 + 180,000
    assert _by_month(export.frame, "clicks") == {"2026-10": 3600.0}  # 2,100 + 1,500
    assert _by_month(export.frame, "revenue") == {"2026-10": 1680000.0}  # 1,200,000 + 480,000
    assert export.rows == 3
    span = SourceSpan(SourceConfig(name="ads", path=ADS.name), [export])
    # Fresh to the range's last day, and a monthly download is allowed its 31 days.
    assert (span.newest(), span.newest_span_days()) == (date(2026, 10, 31), 31)


@pytest.mark.parametrize(
    ("range_line", "first", "last"),
    [
        ('"1 October 2026 - 31 October 2026"', "2026-10-01", "2026-10-31"),
        ("October 1, 2026 - October 15, 2026", "2026-10-01", "2026-10-15"),
        ("2026年10月1日～2026年10月31日", "2026-10-01", "2026-10-31"),
        ("2026/10/01 - 2026/10/07", "2026-10-01", "2026-10-07"),
    ],
)
def test_google_ads_range_line_forms(tmp_path, range_line, first, last):
    path = tmp_path / "report.csv"
    path.write_text(f"Campaign report\n{range_line}\nCampaign,Impr.,Cost\nA,100,50\n", encoding="utf-8")
    export = read_export(path)
    assert _ranges(export.frame) == {(pd.Timestamp(first), pd.Timestamp(last))}
    assert export.frame["cost"].tolist() == [50.0]


def test_a_range_across_months_is_refused_unless_split_prorata():
    with pytest.raises(DataError) as error:
        placed("ads", read_export(ADS_ACROSS), None)
    assert str(error.value) == (
        f"source 'ads': {ADS_ACROSS} has rows that total 2026-09-21 to 2026-10-10, across months, "
        "which no month can count; re-export it broken down by day (or one file per month), or set "
        "`split: prorata` on the source to spread each total evenly over its days (estimated)"
    )
    export = placed("ads", read_export(ADS_ACROSS), "prorata")
    # 20 days (21-30 September, 1-10 October): 20,000 yen is 1,000 a day, 10,000 in each month.
    assert _by_month(export.frame, "cost") == {"2026-09": 10000.0, "2026-10": 10000.0}
    assert _by_month(export.frame, "conversions") == {"2026-09": 20.0, "2026-10": 20.0}
    assert export.frame["estimated"].all() and len(export.frame) == 20


def _without_range(tmp_path: Path) -> Path:
    path = tmp_path / "channels.csv"
    path.write_text(
        "Session primary channel group (Default channel group),Sessions,Engaged sessions,Key events\n"
        "Organic Search,100,60,4\nDirect,50,20,3\n",
        encoding="utf-8",
    )
    return path


def test_the_source_period_dates_a_file_that_states_no_range(tmp_path):
    export = read_export(_without_range(tmp_path), totals_range=from_source("2026-02", None, None))
    assert _ranges(export.frame) == {(pd.Timestamp("2026-02-01"), pd.Timestamp("2026-02-28"))}
    assert export.columns["date"] == "first day (`period: 2026-02`)"
    assert _by_month(export.frame, "conversions") == {"2026-02": 7.0}


def test_the_source_start_and_end_date_a_file_that_states_no_range(tmp_path):
    stated = from_source(None, date(2026, 10, 1), date(2026, 10, 10))
    export = read_export(_without_range(tmp_path), totals_range=stated)
    assert _ranges(export.frame) == {(pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-10"))}
    span = SourceSpan(SourceConfig(name="ga4", path="channels.csv"), [export])
    assert span.newest() == date(2026, 10, 10)  # the coverage rule reports 11-31 October missing


def test_december_period_ends_on_the_31st():
    assert from_source("2026-12", None, None) == Span(
        date(2026, 12, 1), date(2026, 12, 31), "`period: 2026-12`"
    )


def test_a_file_whose_range_contradicts_the_source_is_refused_naming_the_line():
    with pytest.raises(DataError) as error:
        read_export(GA4, totals_range=from_source("2026-09", None, None))
    assert str(error.value) == (
        f"{GA4}:7: the file totals 2026-10-01 to 2026-10-31, but its source says `period: 2026-09` "
        "(2026-09-01 to 2026-09-30); remove the key from the source, or point the source at the file "
        "of that range"
    )


def test_the_same_range_on_the_source_and_in_the_file_is_read():
    export = read_export(GA4, totals_range=from_source("2026-10", None, None))
    assert export.columns["date"] == "first day (lines 7-8)"  # the file's own lines are cited


def test_a_report_of_totals_with_no_range_anywhere_is_refused_with_what_to_do(tmp_path):
    path = _without_range(tmp_path)
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}: missing date column 'date' or '日付', and no date range above the header; "
        "re-download the report with a day column, or state the range it totals on the source "
        "(`period: YYYY-MM`, or `start:` and `end:`); columns present: Session primary channel group "
        "(Default …, Sessions, Engaged sessions, Key events"  # each header cut to 40 characters
    )


def test_a_range_that_ends_before_it_starts_is_refused(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "# Start date: 20261031\n# End date: 20261001\nCampaign,Impr.,Cost\nA,1,1\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as error:
        read_export(path)
    assert (
        str(error.value)
        == f"{path}:1: the report's date range ends (2026-10-01) before it starts (2026-10-31)"
    )


def test_an_unreadable_ga4_date_is_refused_naming_its_line(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(
        "# Start date: 20261001\n# End date: someday\nCampaign,Impr.,Cost\nA,1,1\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as error:
        read_export(path)
    assert str(error.value) == f"{path}:2: cannot read 'someday' as the report's date"


def test_a_file_with_a_date_column_keeps_its_days(fixtures):
    """GA4's `Date` dimension: the preamble's range agrees and the rows stay days."""
    export = read_export(fixtures / "ga4/traffic_acquisition_session_primary_channel_group.csv")
    assert "date_end" not in export.frame.columns
    assert sorted(export.frame["date"].dt.day.unique()) == [1, 2, 3]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"period": "2026-10", "start": "2026-10-01", "end": "2026-10-31"}, "not both"),
        ({"start": "2026-10-01"}, "`start:` and `end:` go together"),
        ({"start": "2026-10-31", "end": "2026-10-01"}, "`end:` is before `start:`"),
        ({"period": "2026-13"}, "a month written YYYY-MM (period: 2026-10)"),
        ({"period": "October"}, "a month written YYYY-MM (period: 2026-10)"),
    ],
)
def test_source_range_keys_are_checked(keys, message):
    with pytest.raises(ValidationError) as error:
        SourceConfig(name="ga4", path="ga4.csv", **keys)
    assert message in str(error.value)


def test_a_month_to_date_report_is_paced_on_the_days_it_totals_and_is_not_stale(tmp_path):
    """`kpi check` end to end: GA4 totals of 1-15 October, reviewed on 20 October."""
    import json

    from typer.testing import CliRunner

    from kpi_cli.cli import app

    (tmp_path / "ga4.csv").write_text(
        GA4.read_text(encoding="utf-8").replace("# End date: 20261031", "# End date: 20261015"),
        encoding="utf-8",
    )
    (tmp_path / "kpi.yaml").write_text(
        "version: 1\nname: t\nsources:\n  - {name: web, path: ga4.csv}\n"
        "kgi: {name: Revenue, metric: revenue, target: 1000000, start: 2026-10-01, deadline: 2026-12-31}\n"
        "kpis:\n  - {id: sales, metric: conversions, target: 50, owner: Aoki, primary: true}\n",
        encoding="utf-8",
    )
    args = ["check", "-c", str(tmp_path / "kpi.yaml"), "--as-of", "2026-10-20", "--format", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [kpi] = report["kpis"]
    # The 57 key events total 15 days: the target's share is 50 x 15/31 = 24.19, not 50 x 20/31.
    assert (kpi["period"], kpi["actual"]) == ("2026-10", 57.0)
    assert kpi["expected"] == pytest.approx(50 * 15 / 31)
    # Newest day 15 October, 5 days before the review: within the 15 days the report totals.
    assert not [f for f in report["findings"] if f["code"].startswith("freshness")]


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            "    period: 2026-13\n",
            "invalid value for 'sources[0].period' at {path}:6: a month written YYYY-MM (period: 2026-10)",
        ),
        (
            "    period: 2026-10\n    start: 2026-10-01\n",
            "invalid value for 'sources[0]' at {path}:4: give either `period:` or `start:` and `end:`, not both",
        ),
    ],
)
def test_the_config_names_the_line_of_a_bad_range_key(tmp_path, keys, message):
    from kpi_cli.config.loader import load_config
    from kpi_cli.errors import ConfigError

    path = tmp_path / "kpi.yaml"
    path.write_text(
        "version: 1\nname: t\nsources:\n  - name: web\n    path: ga4.csv\n"
        + keys
        + "kgi: {name: R, metric: revenue, "
        "target: 1, start: 2026-10-01, deadline: 2026-12-31}\nkpis:\n  - {id: a, metric: conversions, target: 1}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value) == message.format(path=path)
