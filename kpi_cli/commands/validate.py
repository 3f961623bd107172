"""`kpi validate`: the config parses, every source loads and has the columns the config needs."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.config import load_config
from kpi_cli.exit_codes import ExitCode
from kpi_cli.review import read_checked


def run(config: Path) -> ExitCode:
    loaded = load_config(config)
    spans = read_checked(loaded)
    exports = [e for span in spans for e in span.exports]
    print(
        f"{config}: ok: {len(spans)} source(s), {len(exports)} file(s), {sum(e.rows for e in exports)} rows, "
        f"{len(loaded.config.kpis)} KPI(s)"
    )
    return ExitCode.OK
