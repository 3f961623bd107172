"""The shipped sample scenarios tell the story the README promises (issue 4's done-when)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.findings import RULE_NAMES

CONFIGS = Path(__file__).parent.parent / "configs"
SAMPLES = {"saas_leadgen.yaml": "inquiries", "b2c_influencer.yaml": "signups"}  # config -> its healthy KPI


def check(config: str) -> dict[str, object]:
    result = CliRunner().invoke(
        app, ["check", "-c", str(CONFIGS / config), "--as-of", "2026-11-20", "--format", "json"]
    )
    assert result.exit_code == 1, result.stderr
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def test_every_rule_fires_on_the_samples_at_warn_or_fail() -> None:
    fired = {
        f["rule"]
        for config in SAMPLES
        for f in check(config)["findings"]  # type: ignore[attr-defined]
        if f["severity"] != "info"
    }
    assert fired == set(RULE_NAMES)


@pytest.mark.parametrize(("config", "healthy"), SAMPLES.items())
def test_no_rule_fires_on_the_healthy_kpi(config: str, healthy: str) -> None:
    doc = check(config)
    assert [f for f in doc["findings"] if f["kpi"] == healthy] == []  # type: ignore[attr-defined]
    [view] = [k for k in doc["kpis"] if k["id"] == healthy and k["segment"] is None]  # type: ignore[attr-defined]
    assert view["status"] == "on_track"


def test_b2c_reads_six_platforms() -> None:
    from kpi_cli.config import load_config
    from kpi_cli.ingest import read_sources

    spans = read_sources(load_config(CONFIGS / "b2c_influencer.yaml"))
    platforms = {e.platform for span in spans for e in span.exports}
    assert platforms == {"instagram", "tiktok", "line", "meta_ads", "mailchimp", "mailchimp_audience", "ga4"}
