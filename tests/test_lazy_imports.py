"""Commands that need no data do not pay for pandas or scipy (issue 12: `kpi platforms` took pandas,
`kpi validate` scipy.stats, 0.9 s, through the rule modules the config loads for their settings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kpi_cli.commands.evaluation import COMPUTATION

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "scipy", "duckdb", "ibis")
# What a check must not import although it computes: scipy.stats (~0.9 s), scipy.special's package
# __init__ with its array-API layer and numpy.f2py (~0.17 s; kpi_cli.lazy_scipy loads the ufuncs).
AVOIDED = ("scipy.stats", "scipy.special", "scipy.special._support_alternative_backends", "numpy.f2py")


def loaded_by(*args: str, cwd: Path = ROOT) -> set[str]:
    """The heavy packages (and AVOIDED modules) in sys.modules after one command, in a fresh
    interpreter."""
    script = (
        "import json, sys\nfrom kpi_cli.cli import main\ncode = main(sys.argv[1:])\n"
        f"print(json.dumps([m for m in {list(HEAVY + AVOIDED)!r} if m in sys.modules]), file=sys.stderr)\n"
        "raise SystemExit(code)"
    )
    done = python_c(script, *args, cwd=cwd)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def python_c(
    script: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -c script args` importing this checkout's kpi_cli; it must exit 0."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env=env or {**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_platforms_imports_neither_pandas_nor_scipy(fmt: str) -> None:
    assert loaded_by("platforms", "--format", fmt) == set()


def test_validate_reads_the_data_but_imports_no_scipy() -> None:
    loaded = loaded_by("validate", "-c", "configs/saas_leadgen.yaml")
    assert "pandas" in loaded  # it reads every source: the check can see a command that loads modules
    assert "scipy" not in loaded and "duckdb" not in loaded


def test_help_imports_none_of_them() -> None:
    assert loaded_by("--help") == set()


def test_check_still_imports_what_it_computes_with() -> None:
    """The other side: the rules run and import scipy on use, so the probe would see it."""
    loaded = loaded_by(
        "check", "-c", "configs/saas_leadgen.yaml", "--as-of", "2026-11-20", "--fail-on", "never"
    )
    assert {"pandas", "scipy"} <= loaded
    assert not loaded & set(AVOIDED)  # the rules' tails come from the ufuncs alone
    assert "duckdb" not in loaded and "ibis" not in loaded  # small files: the row-by-row reader


def test_a_local_event_log_is_checked_through_duckdb_without_ibis(tmp_path: Path) -> None:
    """Ibis (0.3-0.9 s to import) stays for warehouses; local CSV/Parquet go to DuckDB directly."""
    (tmp_path / "events.csv").write_text(
        "date,campaign,event,revenue\n2026-11-02,a,lead,0\n2026-11-03,a,closed,500\n", encoding="utf-8"
    )
    (tmp_path / "kpi.yaml").write_text(
        "version: 1\nname: events\nsources:\n"
        "  - {name: ma, path: events.csv, platform: events, events: {lead: leads, closed: customers}}\n"
        "kgi: {name: Revenue, metric: revenue, target: 1000, start: '2026-01-01', deadline: '2026-12-31', owner: me}\n"
        "kpis:\n  - {id: leads, metric: leads, target: 10, owner: me, review_by: '2026-12-31'}\n",
        encoding="utf-8",
    )
    check = ("check", "-c", "kpi.yaml", "--as-of", "2026-11-20", "--fail-on", "never", "--no-history")
    loaded = loaded_by(*check, cwd=tmp_path)
    assert "duckdb" in loaded and "ibis" not in loaded


_PLUGIN_PROBE = """
import importlib.metadata, json, os, sys
scans = []
original = importlib.metadata.distributions
def counted(*args, **kwargs):
    scans.append(sys._getframe(1).f_globals.get("__name__"))
    return original(*args, **kwargs)
importlib.metadata.distributions = counted
from kpi_cli.cli import main
code = main(sys.argv[1:])
print(json.dumps([scans, os.environ.get("PYDANTIC_DISABLE_PLUGINS")]), file=sys.stderr)
raise SystemExit(code)
"""


@pytest.mark.parametrize("preset", [None, "somebody"])
def test_a_check_does_not_scan_installed_packages_for_pydantic_plugins(preset: str | None) -> None:
    """Pydantic's plugin search reads every installed distribution's entry points (15-40 ms a
    run); kpi_cli.pydantic_plugins turns it off for the command and restores the environment.
    A value the user set is theirs: left alone (then pydantic does its search, filtered by it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env |= {"PYTHONPATH": str(ROOT)} | ({"PYDANTIC_DISABLE_PLUGINS": preset} if preset else {})
    args = ("check", "-c", "configs/saas_leadgen.yaml", "--as-of", "2026-11-20", "--no-history")
    done = python_c(_PLUGIN_PROBE, *args, "--fail-on", "never", env=env)
    scans, after = json.loads(done.stderr.strip().splitlines()[-1])
    if preset is None:
        assert "pydantic.plugin._loader" not in scans and after is None
    else:
        assert "pydantic.plugin._loader" in scans and after == preset  # the probe sees a real search


_LOAD_ONLY = """
import json, sys
from pathlib import Path
from kpi_cli.config import load_config
import kpi_cli.sources.columnar, kpi_cli.commands.check, kpi_cli.commands.evaluation
for path in sys.argv[1:]:
    load_config(Path(path))
print(json.dumps([m for m in ("pandas", "numpy", "pyarrow", "scipy", "duckdb") if m in sys.modules]))
"""


def test_a_config_loads_without_pandas_or_numpy() -> None:
    """Loading a config builds every rule's settings table, so it imports every rule module and,
    through them, the computation: all of it takes pandas and numpy through kpi_cli.lazy_pandas,
    so a check's read can start before they are imported (sources/prefetch.py). The columnar read
    path and the commands' modules import neither either."""
    configs = sorted(str(p) for p in (ROOT / "configs").glob("*.yaml"))
    done = python_c(_LOAD_ONLY, *configs)
    assert json.loads(done.stdout) == []


_SETTINGS_ONLY = """
import json, sys
from pathlib import Path
from kpi_cli.config import load_config
import kpi_cli.commands.check, kpi_cli.commands.evaluation, kpi_cli.review, kpi_cli.sources.columnar
from kpi_cli.rules.registry import RULES
for path in sys.argv[2:]:
    load_config(Path(path))
print(json.dumps({
    "rules": sorted(RULES),
    "settings": sorted(str(model.__name__) for r in RULES.values() for model in r.settings.values()),
    "loaded": [m for m in json.loads(sys.argv[1]) if m in sys.modules],
}))
"""


def test_a_config_loads_each_rules_settings_without_its_computation() -> None:
    """Before a check's scan can start (sources/prefetch.py) the config is loaded, and the config
    loads every rule module for its settings: the rule modules import their computation (assess,
    stats, compare, the drop baseline...) where it runs, so the scan starts earlier
    (README, Benchmarks, phase 8). The other side: a check does import them (so the probe can
    see them), and every rule still brings its settings to the config."""
    configs = sorted(str(p) for p in (ROOT / "configs").glob("*.yaml"))
    # Babel too: the catalog the config loads (for its errors) formats nothing until after the scan.
    done = python_c(_SETTINGS_ONLY, json.dumps([*COMPUTATION, "babel"]), *configs)
    found = json.loads(done.stdout)
    assert found["loaded"] == []
    assert len(found["rules"]) == 11 and "PaceSettings" in found["settings"]
    check = ("check", "-c", "configs/saas_leadgen.yaml", "--as-of", "2026-11-20", "--fail-on", "never")
    script = (
        "import json, sys\nfrom kpi_cli.cli import main\ncode = main(sys.argv[1:])\n"
        f"print(json.dumps([m for m in {list(COMPUTATION)!r} if m in sys.modules]), file=sys.stderr)\n"
        "raise SystemExit(code)"
    )
    ran = python_c(script, *check, "--no-history", "--format", "json")
    assert json.loads(ran.stderr.strip().splitlines()[-1]) == list(COMPUTATION)


def test_the_deferred_module_is_the_real_one_once_loaded() -> None:
    """`pd.<name>` is the real pandas object, whichever thread asked first."""
    import pandas

    from kpi_cli.lazy_pandas import np, pd

    assert pd.DataFrame is pandas.DataFrame and pd.NA is pandas.NA
    assert np.int64 is __import__("numpy").int64
    assert "DataFrame" in vars(pd)  # copied in: later lookups are plain attribute hits
