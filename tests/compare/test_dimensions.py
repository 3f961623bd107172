"""Dimensions `account` and `influencer`: set per source, or cut out of a mapped column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError
from kpi_cli.ingest import combine, cut_out, read_sources

CONFIG = """\
version: 1
name: t
sources:
  - name: ads
    path: ads.csv
    platform: generic
    columns: {{influencer: Campaign}}
    patterns: {{influencer: '{pattern}'}}
  - name: brand
    path: brand.csv
    platform: generic
    account: hikari_skin
kgi: {{name: r, metric: cost, target: 1, start: 2026-01-01, deadline: 2026-12-31}}
kpis: [{{id: c, metric: cost, target: 1, owner: o, review_by: 2026-12-31, primary: true}}]
"""


def _write(tmp_path: Path, pattern: str) -> Path:
    (tmp_path / "ads.csv").write_text(
        "date,Campaign,cost\n2026-10-01,inf_sora.skin,100\n2026-10-01,inf_glow.yuna,50\n2026-10-02,brand_nov,30\n",
        encoding="utf-8",
    )
    (tmp_path / "brand.csv").write_text("date,likes\n2026-10-01,7\n", encoding="utf-8")
    config = tmp_path / "kpi.yaml"
    config.write_text(CONFIG.format(pattern=pattern), encoding="utf-8")
    return config


def test_an_influencer_code_is_cut_out_of_the_utm_campaign_and_an_account_set_per_source(
    tmp_path: Path,
) -> None:
    frame = combine(read_sources(load_config(_write(tmp_path, "^inf_(.+)$"))))
    ads = frame[frame["source"] == "ads"]
    # inf_sora.skin -> sora.skin; brand_nov does not match, so it has no influencer (not "brand_nov")
    assert ads["influencer"].tolist()[:2] == ["sora.skin", "glow.yuna"] and pd.isna(ads["influencer"].iloc[2])
    assert frame.loc[frame["source"] == "brand", "account"].tolist() == ["hikari_skin"]


def test_a_pattern_without_a_group_keeps_the_whole_match() -> None:
    assert cut_out(pd.Series(["inf_sora.skin_nov"]), r"(?:inf_)[a-z.]+").tolist() == ["inf_sora.skin"]


@pytest.mark.parametrize(
    ("pattern", "why"),
    [("^inf_(.+)_(.+)$", "at most one group"), ("^inf_([a-z$", "not a regular expression")],
)
def test_a_bad_pattern_is_a_config_error_at_its_line(tmp_path: Path, pattern: str, why: str) -> None:
    with pytest.raises(ConfigError, match=rf"kpi.yaml:8.*{why}"):
        load_config(_write(tmp_path, pattern))
