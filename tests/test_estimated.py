"""Figures built on prorated rows (`split: prorata`) are marked estimated in the tables, the JSON
and the evidence of findings about them; figures from daily rows are not (issue 10).

Layout of the Meta file: the header of the period-total tests (tests/sources/test_period_totals.py,
`Reporting starts,Reporting ends,...,Amount spent (JPY)`, a Meta report without a daily breakdown).
GUESS: the figures. A lifetime report from 1 August to 31 October 2026 is one row over
31 + 30 + 31 = 92 days; prorated, October gets 920,000 x 31/92 = 310,000 and September
920,000 x 30/92 = 300,000. The CRM file has 2 leads a day, read as they are (62 in October).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app

ENV = {"COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
TOTAL = 920_000.0
CONFIG = """version: 1
name: prorata
sources:
  - {name: meta, path: meta-campaigns.csv, split: prorata}
  - {name: crm, path: crm.csv, platform: generic}
metrics:
  cpl: cost / leads
kgi: {name: Leads, metric: leads, target: 240, start: 2026-08-01, deadline: 2026-12-31, owner: Sato}
kpis:
  - {id: spend, metric: cost, target: 300000, owner: Tanaka, review_by: 2026-12-31, primary: true}
  - {id: leads, metric: leads, target: 60, owner: Tanaka, review_by: 2026-12-31}
  - {id: cpl, metric: cpl, target: 4000, direction: down, owner: Tanaka, review_by: 2026-12-31}
  - {id: spend_to_date, metric: cost, target: 1000000, cumulative: true, owner: Tanaka, review_by: 2026-12-31}
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "meta-campaigns.csv").write_text(
        "Reporting starts,Reporting ends,Campaign name,Impressions,Amount spent (JPY)\n"
        "2026-08-01,2026-10-31,Autumn,92000,920000\n",
        encoding="utf-8",
    )
    days = pd.date_range("2026-08-01", "2026-10-31")
    (tmp_path / "crm.csv").write_text("date,leads\n" + "".join(f"{d:%Y-%m-%d},2\n" for d in days))
    path = tmp_path / "kpi.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def _run(config: Path, *args: str) -> str:
    base = ["-c", str(config), "--as-of", "2026-11-20", "--period", "2026-10"]
    result = CliRunner().invoke(app, ["check", *base, *args], env=ENV)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def test_json_marks_the_kpis_built_on_prorated_rows_and_not_the_daily_ones(config: Path) -> None:
    doc = json.loads(_run(config, "--format", "json"))
    kpis = {k["id"]: k for k in doc["kpis"]}
    assert kpis["spend"]["actual"] == pytest.approx(TOTAL * 31 / 92)  # 310,000
    assert (kpis["spend"]["estimated"], kpis["spend"]["estimated_share"]) == (True, 1.0)
    # Leads come from the daily CRM file only: not an estimate.
    assert kpis["leads"]["actual"] == 62.0
    assert (kpis["leads"]["estimated"], kpis["leads"]["estimated_share"]) == (False, None)
    # Cost per lead = 310,000 / 62 = 5,000: its cost is all prorated, so it is all an estimate.
    assert kpis["cpl"]["actual"] == pytest.approx(5000.0)
    assert (kpis["cpl"]["estimated"], kpis["cpl"]["estimated_share"]) == (True, 1.0)
    # Cumulative spend from the KGI's start (1 Aug) to as_of: the whole 920,000, every day prorated.
    assert kpis["spend_to_date"]["actual"] == pytest.approx(TOTAL)
    assert kpis["spend_to_date"]["estimated_share"] == 1.0
    # The KGI counts leads: 2 a day over the 92 days = 184, from daily rows.
    assert doc["kgi"]["actual"] == 184.0
    assert (doc["kgi"]["estimated"], doc["kgi"]["estimated_share"]) == (False, None)


def test_findings_about_an_estimated_kpi_say_so_in_their_evidence(config: Path) -> None:
    findings = json.loads(_run(config, "--format", "json"))["findings"]
    # cpl 5,000 against a 4,000 ceiling (down): missed, on an estimated cost.
    [missed] = [f for f in findings if f["kpi"] == "cpl" and f["rule"] == "pace"]
    assert missed["evidence"]["estimated"] is True and missed["evidence"]["estimated_share"] == 1.0
    for finding in findings:
        if finding["kpi"] == "leads" or finding["rule"] in ("lint", "freshness"):
            assert "estimated" not in finding["evidence"], finding
    [coverage] = [f for f in findings if f["code"] == "coverage.estimated"]
    assert coverage["evidence"]["estimated_days"] == 31  # its own evidence, left as it was


def test_the_tables_mark_estimated_figures_with_a_legend(config: Path) -> None:
    text = _run(config)
    [spend] = [line for line in text.splitlines() if line.lstrip().startswith("★ spend ")]
    [leads] = [line for line in text.splitlines() if line.lstrip().startswith("leads ")]
    assert "≈310,000" in spend and "≈" not in leads
    assert "≈ estimated: includes totals across months spread evenly over their days" in text
    ja = _run(config, "--lang", "ja")
    assert "≈310,000" in ja and "≈ 推定値: 複数月にまたがる合計を日数で均等に按分した数値を含みます" in ja


def test_markdown_marks_estimated_figures_with_a_legend(config: Path) -> None:
    markdown = _run(config, "--format", "markdown")
    [spend] = [line for line in markdown.splitlines() if line.startswith("| ★ spend |")]
    assert spend.split(" | ")[2] == "≈310,000"
    assert (
        "_≈ estimated: includes totals across months spread evenly over their days (\\`split: prorata\\`)_"
        in (markdown)
    )


def test_the_same_spend_exported_by_day_is_not_marked(config: Path) -> None:
    # The same 920,000 as a daily breakdown (the `Day` column of the period-total tests): 10,000
    # a day, October 310,000 again, now counted, not spread; `split: prorata` has nothing to split.
    days = pd.date_range("2026-08-01", "2026-10-31")
    (config.parent / "meta-campaigns.csv").write_text(
        "Reporting starts,Reporting ends,Day,Campaign name,Impressions,Amount spent (JPY)\n"
        + "".join(f"2026-08-01,2026-10-31,{d:%Y-%m-%d},Autumn,1000,10000\n" for d in days),
        encoding="utf-8",
    )
    doc = json.loads(_run(config, "--format", "json"))
    spend = next(k for k in doc["kpis"] if k["id"] == "spend")
    assert spend["actual"] == pytest.approx(310_000.0)
    assert all(k["estimated"] is False for k in [doc["kgi"], *doc["kpis"]])
    assert all("estimated" not in f["evidence"] for f in doc["findings"])
    assert "≈" not in _run(config) and "≈" not in _run(config, "--format", "markdown")


def test_funnel_stage_counts_built_on_prorated_rows_are_marked(config: Path) -> None:
    # Impressions come only from the lifetime report: October gets 92,000 x 31/92 = 31,000, all
    # prorated; leads come from the daily CRM file (62 in October) and are counted, not spread.
    config.write_text(
        CONFIG + "funnel:\n  stages:\n    - {name: Impressions, metric: impressions}\n"
        "    - {name: Leads, metric: leads}\n",
        encoding="utf-8",
    )
    doc = json.loads(_run(config, "--format", "json"))
    impressions, leads = doc["funnel"]["stages"]
    assert impressions["count"] == pytest.approx(31_000.0)
    assert (impressions["estimated"], impressions["estimated_share"]) == (True, 1.0)
    assert (leads["count"], leads["estimated"], leads["estimated_share"]) == (62.0, False, None)
    base = ["-c", str(config), "--as-of", "2026-11-20", "--period", "2026-10"]
    review = CliRunner().invoke(app, ["review", *base], env=ENV)  # the funnel table is review's
    assert review.exit_code == 0, review.stderr
    [row] = [line for line in review.stdout.splitlines() if line.lstrip().startswith("Impressions ")]
    assert "≈31,000" in row and "≈62" not in review.stdout
    assert "≈ estimated: includes totals across months" in review.stdout
    markdown = _run(config, "--format", "markdown")
    [funnel] = [line for line in markdown.splitlines() if line.startswith("Funnel 2026-10")]
    assert "Impressions ≈31,000 → Leads 62" in funnel
