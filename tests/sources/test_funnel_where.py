"""Funnel stages take `where:` like KPIs: a stage counts only the rows its tags select, and a value
that matches no row is a validate error naming the stage."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from kpi_cli.cli import app
from tests.conftest import context, make_config

ROOT = Path(__file__).resolve().parents[2]


def _frame() -> pd.DataFrame:
    # October: the ads source carries 1000 impressions and 40 leads, the CRM 30 leads and 3 customers.
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-05", "2026-10-05", "2026-10-06"]),
            "source": ["ads", "crm", "crm"],
            "impressions": [1000.0, None, None],
            "leads": [40.0, 30.0, None],
            "customers": [None, None, 3.0],
        }
    )


def _funnel(leads_where: dict[str, str] | None) -> dict[str, object]:
    leads = {"name": "Leads", "metric": "leads", **({"where": leads_where} if leads_where else {})}
    return {
        "stages": [
            {"name": "Impressions", "metric": "impressions"},
            leads,
            {"name": "Customers", "metric": "customers"},
        ]
    }


def test_stage_where_counts_only_the_rows_it_selects() -> None:
    config = make_config(funnel=_funnel({"source": "crm"}))
    funnel = context(config, _frame(), date(2026, 10, 31)).funnel
    assert funnel is not None
    counts = {s.name: s.count for s in funnel.stages}
    # Leads from the CRM only: 30 (not 40 + 30); the other stages read every row.
    assert counts == {"Impressions": 1000.0, "Leads": 30.0, "Customers": 3.0}
    leads, customers = funnel.stages[1], funnel.stages[2]
    assert leads.conversion == 30 / 1000
    assert customers.conversion == 3 / 30


def test_stage_without_where_sums_every_source() -> None:
    funnel = context(make_config(funnel=_funnel(None)), _frame(), date(2026, 10, 31)).funnel
    assert funnel is not None
    assert funnel.stages[1].count == 70.0  # 40 + 30


def _b2c_copy(tmp_path: Path, stage: str) -> Path:
    shutil.copytree(ROOT / "sample_data" / "b2c", tmp_path / "sample_data" / "b2c")
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "b2c.yaml"
    text = (ROOT / "configs" / "b2c_influencer.yaml").read_text(encoding="utf-8")
    old = "    - {name: Signups, metric: leads}\n"
    assert old in text
    config.write_text(text.replace(old, stage), encoding="utf-8")
    return config


def test_stage_where_value_matching_no_row_fails_validate(tmp_path: Path) -> None:
    config = _b2c_copy(tmp_path, "    - {name: Signups, metric: leads, where: {channel: social media}}\n")
    result = CliRunner().invoke(app, ["validate", "-c", str(config)])
    assert result.exit_code == 2
    # Same values, same order as the KPI case in test_filters.py (same data, same typo).
    assert result.stderr.strip() == (
        "kpi: error: funnel stage 'Signups': where: channel 'social media' matches no row; values in "
        "the data (closest first): 'Paid Social', 'meta_ads', 'instagram', 'line', 'Email', 'email', "
        "'tiktok'"
    )


def test_stage_where_naming_no_configured_source_is_refused(tmp_path: Path) -> None:
    config = _b2c_copy(tmp_path, "    - {name: Signups, metric: leads, where: {source: instagramm}}\n")
    result = CliRunner().invoke(app, ["validate", "-c", str(config)])
    assert result.exit_code == 2
    line = (
        config.read_text(encoding="utf-8")
        .splitlines()
        .index("    - {name: Signups, metric: leads, where: {source: instagramm}}")
    )
    assert result.stderr.strip() == (
        f"kpi: error: unknown source 'instagramm' at {config}:{line + 1}, did you mean 'instagram'?"
    )


def test_stage_where_present_in_the_data_passes(tmp_path: Path) -> None:
    config = _b2c_copy(tmp_path, "    - {name: Signups, metric: leads, where: {channel: instagram}}\n")
    result = CliRunner().invoke(app, ["validate", "-c", str(config)])
    assert result.exit_code == 0, result.stderr
