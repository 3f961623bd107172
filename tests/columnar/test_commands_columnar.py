"""`kpi inspect` and `kpi validate` say the same whichever path reads the file (issue 7).

They read by day with the unread columns summed, so a large file takes the columnar path; here the
size threshold is lowered to 0 for the sample exports and the whole output compared with the
pandas reader's (threshold out of reach), and the test checks that DuckDB really read them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.sources import columnar
from tests.columnar.spying import columnar_reads

ROOT = Path(__file__).resolve().parents[2]
ENV = {"COLUMNS": "160", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}


def run_both(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, str, list[bool]]:
    """(output read by pandas, output with DuckDB allowed, whether DuckDB read each file)."""
    with columnar_reads() as taken:
        monkeypatch.setattr(columnar, "MIN_BYTES", 1 << 40)
        slow = CliRunner().invoke(app, list(args), env=ENV)
        assert not taken
        monkeypatch.setattr(columnar, "MIN_BYTES", 0)
        fast = CliRunner().invoke(app, list(args), env=ENV)
    assert slow.exit_code == fast.exit_code == 0, (slow.output, fast.output)
    return slow.stdout, fast.stdout, taken


@pytest.mark.parametrize(
    "name",
    [
        "b2c/meta_ads_campaigns.csv",
        "saas/sns_smb.csv",
        "saas/sns_enterprise.csv",
        "b2c/ga4_traffic_acquisition.csv",
    ],
)
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_inspect_says_the_same_through_duckdb(monkeypatch: pytest.MonkeyPatch, name: str, fmt: str) -> None:
    slow, fast, taken = run_both(monkeypatch, "inspect", str(ROOT / "sample_data" / name), "--format", fmt)
    assert taken == [True]
    assert fast == slow


@pytest.mark.parametrize("config", ["saas_leadgen.yaml", "b2c_influencer.yaml"])
def test_validate_says_the_same_through_duckdb(monkeypatch: pytest.MonkeyPatch, config: str) -> None:
    slow, fast, taken = run_both(monkeypatch, "validate", "-c", str(ROOT / "configs" / config))
    assert any(taken)
    assert fast == slow
