"""Unread columns are summed only where someone reads the sums (inspect, validate's advice)."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.sources import read_export
from kpi_cli.sources.export import Unmapped


def test_sums_on_request_headers_always(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("date,leads,Results,Notes\n2026-10-01,3,40,a\n2026-10-02,2,28,b\n", encoding="utf-8")
    described = read_export(path, platform="generic")
    assert described.unmapped == [Unmapped("Results", 68.0), Unmapped("Notes", None)]  # 40 + 28
    reviewed = read_export(path, platform="generic", unmapped_sums=False)
    assert reviewed.unmapped == [Unmapped("Results", None), Unmapped("Notes", None)]
    assert reviewed.frame["leads"].tolist() == [3.0, 2.0]
