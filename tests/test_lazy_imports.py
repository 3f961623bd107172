"""Commands that need no data do not pay for pandas or scipy (issue 12: `kpi platforms` took pandas,
`kpi validate` scipy.stats, 0.9 s, through the rule modules the config loads for their settings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "scipy", "duckdb", "ibis")


def loaded_by(*args: str) -> set[str]:
    """The heavy top-level packages in sys.modules after one command, in a fresh interpreter."""
    script = (
        "import json, sys\nfrom kpi_cli.cli import main\ncode = main(sys.argv[1:])\n"
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]), file=sys.stderr)\n"
        "raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_platforms_imports_neither_pandas_nor_scipy(fmt: str) -> None:
    assert loaded_by("platforms", "--format", fmt) == set()


def test_validate_reads_the_data_but_imports_no_scipy() -> None:
    loaded = loaded_by("validate", "-c", "configs/saas_leadgen.yaml")
    assert "pandas" in loaded  # it reads every source: the check can see a command that loads modules
    assert "scipy" not in loaded and "duckdb" not in loaded


def test_check_still_imports_what_it_computes_with() -> None:
    """The other side: the rules run and import scipy on use, so the probe would see it."""
    loaded = loaded_by(
        "check", "-c", "configs/saas_leadgen.yaml", "--as-of", "2026-11-20", "--fail-on", "never"
    )
    assert {"pandas", "scipy"} <= loaded
