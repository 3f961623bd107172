"""Whole commands with every file read by the columnar path: the golden outputs, unchanged.

The goldens (tests/golden) were written by the pandas reader; with the size threshold lowered to 0
every sample file DuckDB can read is read by it and aggregated to the review's grain, and `kpi
check` must still print the same bytes, in every format and language; `kpi compare --by` must keep
the compared dimension (read_checked passes it as part of the grain).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.sources import columnar
from tests.columnar.spying import columnar_reads

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
ENV = {"COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}


def run(args: list[str], monkeypatch: pytest.MonkeyPatch, threshold: int) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(columnar, "MIN_BYTES", threshold)
    with columnar_reads() as taken:
        result = CliRunner().invoke(app, args, env=ENV)
    assert threshold or any(taken), "no file took the columnar path"
    return result.exit_code, result.stdout


@pytest.mark.parametrize("sample", ["saas_leadgen", "b2c_influencer"])
@pytest.mark.parametrize(("fmt", "suffix"), [("json", "json"), ("text", "80.txt"), ("markdown", "80.md")])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_check_prints_the_golden_output_when_duckdb_reads_the_files(
    sample: str, fmt: str, suffix: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["check", "-c", f"configs/{sample}.yaml", "--as-of", "2026-11-20", "--format", fmt, "--lang", lang]
    code, out = run(args, monkeypatch, threshold=0)
    assert code == 1  # both samples have fail findings
    assert out == (GOLDEN / f"{sample}.{lang}.{suffix}").read_text(encoding="utf-8")


@pytest.mark.parametrize("by", ["campaign", "influencer", "account"])
def test_compare_by_a_dimension_is_the_same_from_the_aggregate(
    by: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [
        "compare",
        "-c",
        "configs/b2c_influencer.yaml",
        "--by",
        by,
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
    ]
    slow = run(args, monkeypatch, threshold=1 << 40)
    fast = run(args, monkeypatch, threshold=0)
    assert slow[0] == 0, slow[1]
    assert fast == slow
