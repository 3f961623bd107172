"""A KPI's `where:` value that matches no row is a validate error listing the values that exist."""

import shutil
from pathlib import Path

from typer.testing import CliRunner

from kpi_cli.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _b2c_copy(tmp_path: Path, where: str) -> Path:
    shutil.copytree(ROOT / "sample_data" / "b2c", tmp_path / "sample_data" / "b2c")
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "b2c.yaml"
    text = (ROOT / "configs" / "b2c_influencer.yaml").read_text(encoding="utf-8")
    assert "    where: {source: instagram}\n" in text
    config.write_text(
        text.replace("    where: {source: instagram}\n", f"    where: {where}\n"), encoding="utf-8"
    )
    return config


def test_where_value_matching_no_row_fails_validate_with_the_values_that_exist(tmp_path):
    config = _b2c_copy(tmp_path, "{channel: social media}")
    result = CliRunner().invoke(app, ["validate", "-c", str(config)])
    assert result.exit_code == 2
    # 'Paid Social' shares "social" with the typo, so it comes first; the sample's channels are the
    # sources' `channel:` tags plus the channel column of the GA4 and Mailchimp exports.
    assert result.stderr.strip() == (
        "kpi: error: KPI 'follows': where: channel 'social media' matches no row; values in the data "
        "(closest first): 'Paid Social', 'meta_ads', 'instagram', 'line', 'Email', 'email', 'tiktok'"
    )


def test_where_value_present_in_the_data_passes(tmp_path):
    config = _b2c_copy(tmp_path, "{channel: instagram}")
    result = CliRunner().invoke(app, ["validate", "-c", str(config)])
    assert result.exit_code == 0, result.stderr
