"""`describe` (the inspect JSON contract), the rich rendering, and the platform list."""

import io
import json

from rich.console import Console

from kpi_cli.commands.inspect import describe
from kpi_cli.commands.platforms import list_platforms
from kpi_cli.render.inspect import render_inspect, render_platforms
from kpi_cli.sources import read_export
from kpi_cli.sources.profiles import BUILTIN

PLATFORMS = {
    "x",
    "meta_ads",
    "meta_insights",
    "facebook_page",
    "instagram",
    "youtube",
    "tiktok",
    "linkedin",
    "google_ads",
    "ga4",
    "search_console",
    "mailchimp",
    "mailchimp_audience",
    "klaviyo",
    "hubspot",
    "line",
    "yahoo_ads",
    "generic",
}


def test_report_has_exactly_the_contract_keys_and_is_json(fixtures):
    report = describe(read_export(fixtures / "yahoo_ads/campaign_report.csv"))
    assert list(report) == [
        "file",
        "platform",
        "encoding",
        "delimiter",
        "rows",
        "events",
        "columns",
        "metrics",
        "date_range",
        "skipped",
        "unmapped",
        "unread",
        "warnings",
    ]
    assert report["file"] == str(fixtures / "yahoo_ads/campaign_report.csv")
    assert report["columns"] == {
        "date": "日",
        "campaign": "キャンペーン名",
        "impressions": "インプレッション数",
        "clicks": "クリック数",
        "cost": "コスト",
        "conversions": "コンバージョン数",
        "revenue": "コンバージョン値",
    }
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report
    assert all(type(v) is int for v in report["metrics"].values())


def test_fractional_sums_stay_exact_floats(inspect):
    report = inspect("klaviyo/campaigns.csv")
    assert report["metrics"]["revenue"] == 13041.5


def render(report) -> str:
    out = io.StringIO()
    render_inspect(report, Console(file=out, width=140, color_system=None))
    return out.getvalue()


def test_text_rendering_shows_platform_rows_sums_and_skipped_lines(inspect):
    text = render(inspect("google_ads/campaign_report.csv"))
    assert "google_ads" in text and "utf-16" in text and "tab" in text
    assert "64,980" in text and "Impr." in text
    assert "summary row" in text


def test_markup_in_file_headers_is_printed_literally(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("date,campaign,impressions\n2026-10-01,[bold]x[/bold],1\n")
    report = describe(read_export(path, columns={"campaign": "campaign"}))
    report["columns"]["campaign"] = "[red]campaign[/red]"
    assert "[red]campaign[/red]" in render(report)


def test_every_listed_platform_has_a_profile():
    assert {p.name for p in BUILTIN} == PLATFORMS
    rows = list_platforms()
    assert {row["name"] for row in rows} == PLATFORMS
    meta = next(row for row in rows if row["name"] == "meta_ads")
    assert "amount spent ({cur})" in meta["maps"]["cost"]
    assert meta["detect"].startswith("headers amount spent ({cur})")


def test_platforms_rendering_lists_each_profile():
    out = io.StringIO()
    render_platforms(list_platforms(), Console(file=out, width=200, color_system=None))
    assert all(name in out.getvalue() for name in PLATFORMS)


def test_text_report_lists_unmapped_columns_with_their_sums(fixtures):
    from typer.testing import CliRunner

    from kpi_cli.cli import app

    result = CliRunner().invoke(app, ["inspect", str(fixtures / "youtube/Table data.csv")])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert (
        "Unmapped columns: Watch time (hours) (412.8), Impressions click-through rate (%) (24.8), "
        "Average view duration"
    ) in text


def test_identifier_columns_are_not_summed():
    from kpi_cli.sources.unmapped import is_identifier

    assert [is_identifier(h) for h in ("Tweet id", "Record ID", "ツイートID", "post_id", "id")] == [True] * 5
    assert [is_identifier(h) for h in ("Amount paid", "Max. CPC bid", "Video title")] == [False] * 3
