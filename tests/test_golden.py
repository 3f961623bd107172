"""Golden outputs: both samples as of 2026-11-20, in text, markdown and json, in en and ja, at 80 and
160 columns. The files under tests/golden/ are the reviewed truth; after a deliberate change,
regenerate them with `KPI_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and read the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
SAMPLES = ("saas_leadgen", "b2c_influencer")
CASES = [
    (sample, fmt, lang, width)
    for sample in SAMPLES
    for fmt in ("text", "markdown", "json")
    for lang in ("en", "ja")
    for width in (80, 160)
]


@pytest.mark.parametrize(("sample", "fmt", "lang", "width"), CASES, ids=lambda v: str(v))
def test_golden(sample: str, fmt: str, lang: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the footer names the config as given: a relative path, the same everywhere
    args = ["check", "-c", f"configs/{sample}.yaml", "--as-of", "2026-11-20", "--format", fmt, "--lang", lang]
    env = {"COLUMNS": str(width), "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1, result.stderr  # both samples have fail findings
    # JSON does not depend on the width: one golden per sample and language serves both widths.
    name = (
        f"{sample}.{lang}.json"
        if fmt == "json"
        else f"{sample}.{lang}.{width}.{'md' if fmt == 'markdown' else 'txt'}"
    )
    path = GOLDEN / name
    if os.environ.get("KPI_UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")
