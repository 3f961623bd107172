"""The shipped sample scenarios tell the story the README promises (issue 4's done-when)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.rules.registry import RULES

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
    # The samples are complete daily exports on purpose (their story is the KPIs), so coverage has
    # nothing to say there; tests/rules/test_coverage.py makes it fire on short and gappy sources.
    assert fired == set(RULES) - {"coverage"}


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


def test_saas_numbers_match_a_plain_pandas_reading_of_the_csvs() -> None:
    """The review's figures, recomputed independently from the sample CSVs with pandas alone."""
    data = CONFIGS.parent / "sample_data" / "saas"
    crm = pd.read_csv(data / "crm_daily.csv", parse_dates=["Day"])
    sns = pd.concat([pd.read_csv(data / f"sns_{s}.csv", parse_dates=["date"]) for s in ("enterprise", "smb")])
    nov = crm[(crm.Day >= "2026-11-01") & (crm.Day <= "2026-11-20")]
    nov_cost = sns[(sns.date >= "2026-11-01") & (sns.date <= "2026-11-20")].cost.sum()
    doc = check("saas_leadgen.yaml")
    kpis = {(k["id"], k["segment"]): k for k in doc["kpis"]}  # type: ignore[attr-defined]
    assert kpis[("leads", None)]["actual"] == nov.leads.sum()
    assert kpis[("leads", "smb")]["actual"] == nov[nov.segment == "smb"].leads.sum()
    assert kpis[("cpa", None)]["actual"] == pytest.approx(nov_cost / nov.customers.sum())
    assert doc["kgi"]["actual"] == crm[crm.Day >= "2026-06-01"].revenue.sum()  # type: ignore[index]
    months = crm.set_index("Day").resample("MS").sum(numeric_only=True)
    baseline = months.loc["2026-08":"2026-10"]
    deals = next(s for s in doc["funnel"]["stages"] if s["name"] == "Deals")  # type: ignore[index]
    assert deals["baseline_conversion"] == pytest.approx(
        baseline.opportunities.sum() / baseline.appointments.sum()
    )
    assert deals["conversion"] == pytest.approx(nov.opportunities.sum() / nov.appointments.sum())


@pytest.mark.parametrize("config", SAMPLES)
@pytest.mark.parametrize("as_of", ["2026-06-03", "2026-09-15", "2027-01-15"])
def test_messages_never_show_missing_numbers(config: str, as_of: str) -> None:
    """Early in the data, mid-way and after it ends: every message speaks in numbers or says why not."""
    result = CliRunner().invoke(
        app, ["check", "-c", str(CONFIGS / config), "--as-of", as_of, "--by", "segment", "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.stderr
    for finding in json.loads(result.stdout)["findings"]:
        text = f"{finding['message']} {finding['action'] or ''}"
        assert not re.search(r"\bnan\b|\binf\b|None|n/a", text), text
