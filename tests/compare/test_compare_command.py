"""`kpi compare` end to end, and the `compare` rule on the B2C sample checked against the raw files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.compare import Figure, compare
from kpi_cli.compare.intervals import poisson

ROOT = Path(__file__).parent.parent.parent
B2C = ROOT / "configs" / "b2c_influencer.yaml"
DATA = ROOT / "sample_data" / "b2c"


def _kpi(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _november(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    dates = pd.to_datetime(frame[column].astype(str))
    return frame[(dates >= "2026-11-01") & (dates <= "2026-11-20")]


def _money(column: pd.Series) -> pd.Series:
    return column.astype(str).str.replace(",", "").astype(float)


def test_compare_by_influencer_json_against_the_raw_exports() -> None:
    code, out, err = _kpi(
        "compare", "-c", str(B2C), "--by", "influencer", "--as-of", "2026-11-20", "--format", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["schema"], doc["dimension"], doc["ranked_by"], doc["period"]) == (
        "kpi-compare/1",
        "influencer",
        "cpa",
        "2026-11",
    )
    assert doc["engagement"]["definition"] == "likes + comments + shares + saves / reach"
    sora = next(g for g in doc["groups"] if g["name"] == "sora.skin")
    # Independently from the files: Meta's spend on "Influencer: @sora.skin", GA4's key events of
    # utm_campaign inf_sora.skin, 1-20 November.
    meta = pd.read_csv(DATA / "meta_ads_campaigns.csv", encoding="utf-8-sig")
    meta = _november(meta[meta["Campaign name"] == "Influencer: @sora.skin"], "Reporting starts")
    ga4 = pd.read_csv(DATA / "ga4_traffic_acquisition.csv", comment="#")
    ga4 = _november(ga4[ga4["Session campaign"] == "inf_sora.skin"], "Date")
    cost, bought = _money(meta["Amount spent (JPY)"]).sum(), ga4["Key events"].sum()
    assert (sora["cost"], sora["conversions"]) == (cost, bought)
    cpa = sora["figures"]["cpa"]
    assert cpa["value"] == pytest.approx(cost / bought)
    assert cpa["high"] == pytest.approx(cost / poisson(bought).low)  # the exact interval's low count
    assert sora["too_small"] is True  # fewer than 3 purchases: shown, not ranked
    assert doc["total"]["cost"] == pytest.approx(sum(g["cost"] or 0 for g in doc["groups"]))


def test_the_samples_compare_findings_name_the_three_stories() -> None:
    code, out, _ = _kpi("check", "-c", str(B2C), "--as-of", "2026-11-20", "--format", "json")
    assert code == 1
    flags = {
        (f["code"], f["evidence"]["group"]) for f in json.loads(out)["findings"] if f["rule"] == "compare"
    }
    assert flags == {
        ("compare.bought_followers", "glow.yuna"),
        ("compare.costly_influencer", "sora.skin"),
        ("compare.segment_below_shared", "hikari.family"),
    }


def test_compare_in_japanese_and_markdown() -> None:
    code, out, _ = _kpi(
        "compare",
        "-c",
        str(B2C),
        "--by",
        "account",
        "--as-of",
        "2026-11-20",
        "--lang",
        "ja",
        "--format",
        "markdown",
    )
    assert code == 0
    assert "アカウント別の比較" in out and "エンゲージメント率" in out
    assert "| hikari\\_skin |" in out  # a name from the data is Markdown-escaped (_ would start emphasis)


MIXED = """\
version: 1
name: mixed
sources:
  - {name: ig, path: ig.csv, account: brand_ig}
  - {name: x, path: x.csv, platform: generic, account: brand_x}
kgi: {name: r, metric: impressions, target: 1, start: 2026-01-01, deadline: 2026-12-31}
kpis: [{id: i, metric: impressions, target: 1, owner: o, review_by: 2026-12-31, primary: true}]
"""


def test_mixed_engagement_definitions_are_refused_unless_one_is_chosen(tmp_path: Path) -> None:
    (tmp_path / "ig.csv").write_text(
        (DATA / "instagram_posts.csv").read_text(encoding="utf-8-sig"), encoding="utf-8"
    )
    (tmp_path / "x.csv").write_text(
        "date,impressions,reach,engagements\n2026-10-03,10000,8000,150\n", encoding="utf-8"
    )
    config = tmp_path / "kpi.yaml"
    config.write_text(MIXED, encoding="utf-8")
    args = ("compare", "-c", str(config), "--by", "account", "--as-of", "2026-10-31", "--format", "json")
    code, _, err = _kpi(*args)
    assert code == 2 and "define engagement rate differently" in err and "--engagement" in err
    code, out, err = _kpi(*args, "--engagement", "reach")
    assert code == 0, err
    doc = json.loads(out)
    # The platforms' numerators differ (engagements vs interactions), so the chosen basis is used
    # with the interactions every platform can report, and the output names it.
    assert doc["engagement"] == {
        "basis": "reach",
        "numerator": ["likes", "comments", "shares", "saves"],
        "definition": "likes + comments + shares + saves / reach",
    }


def test_the_conversion_metric_is_chosen_once_for_every_group() -> None:
    # Group "a" has only leads, "b" purchases: a share of a's leads in b's purchases was 1,381 %.
    frame = pd.DataFrame(
        [
            {"date": pd.Timestamp("2026-10-02"), "source": "s", "channel": "a", "leads": 500.0},
            {"date": pd.Timestamp("2026-10-02"), "source": "s", "channel": "b", "conversions": 40.0},
        ]
    )
    result = compare(frame, "channel", pd.Period("2026-10", "M"), Figure.CPA, {})
    shares = {g.name: g.conversion_share for g in result.groups}
    assert shares == {"a": None, "b": 1.0}


def test_compare_refuses_a_dimension_no_source_sets() -> None:
    code, _, err = _kpi(
        "compare",
        "-c",
        str(ROOT / "configs" / "saas_leadgen.yaml"),
        "--by",
        "influencer",
        "--as-of",
        "2026-11-20",
    )
    assert code == 2 and err.count("kpi: error:") == 1 and "columns: {influencer:" in err


def test_review_by_channel_is_one_table_with_channels_as_rows_and_kpis_as_columns() -> None:
    result = CliRunner(env={"COLUMNS": "160"}).invoke(
        app, ["review", "-c", str(B2C), "--as-of", "2026-11-20", "--by", "channel", "--lang", "en"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # Each channel is one row (before: a row under each of the five KPIs).
    for channel in ("instagram", "meta_ads", "tiktok"):
        assert sum(1 for line in lines if line.split()[:1] == [channel]) == 1, channel
    row = {
        line.split()[0]: line.split()[1:]
        for line in lines
        if line.split()[:1] in (["instagram"], ["meta_ads"])
    }
    # Instagram follows (the instagram source only) 303 and influencer link clicks 7,348 in November,
    # the same numbers as the overall KPI rows of the golden review; the other KPIs have no value there.
    assert row["instagram"] == ["n/a", "303", "n/a", "n/a", "n/a"]
    assert row["meta_ads"] == ["n/a", "n/a", "7,348", "n/a", "n/a"]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--by", "region"), "--by: 'region' is not one of segment, channel, campaign, account, influencer"),
        (("--by", "account", "--metric", "likes"), "--metric: 'likes' is not one of engagement_rate, ctr"),
        (
            ("--by", "account", "--engagement", "followers"),
            "--engagement: 'followers' is not one of impressions, reach",
        ),
        (("--by", "account", "--period", "2025-01"), "--period: "),
    ],
)
def test_bad_compare_options_are_one_error_line_exit_2(args: tuple[str, ...], line: str) -> None:
    code, out, err = _kpi("compare", "-c", str(B2C), "--as-of", "2026-11-20", *args)
    assert (code, out) == (2, "") and err.startswith(f"kpi: error: {line}") and err.count("\n") == 1
