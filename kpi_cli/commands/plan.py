"""`kpi plan`: back from the KGI target, the monthly volume each funnel stage needs by the deadline."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.options import as_of_date
from kpi_cli.config import load_config
from kpi_cli.errors import UsageError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.ingest import combine
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.plan import PlanOptions, build_plan
from kpi_cli.render.console import make_console
from kpi_cli.render.plan import plan_json, render_plan_text
from kpi_cli.review import read_checked

FORMATS = ("text", "json")
# Ten years of months is more history than any campaign export holds; an unbounded window made
# `--window 1000000000` build a period range of 7.7 GB before failing.
MAX_WINDOW = 120


def run(config: Path, as_of: str | None, window: int, fmt: str, use_benchmarks: bool) -> ExitCode:
    if fmt not in FORMATS:
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(FORMATS)}")
    if not 1 <= window <= MAX_WINDOW:
        raise UsageError(f"--window: must be 1 to {MAX_WINDOW} months, got {window}")
    day = as_of_date(as_of)
    loaded = load_config(config)
    # Checked before reading any source: without a funnel there is nothing to back-calculate.
    if loaded.config.funnel is None:
        raise UsageError(f"{config}: kpi plan needs a funnel: section (stages from first touch to the KGI)")
    data = Dataset.build(combine(read_checked(loaded)), loaded.catalog, day)
    plan = build_plan(loaded.config, data, PlanOptions(window=window, use_benchmarks=use_benchmarks))
    if fmt == "json":
        print(plan_json(plan))
    else:
        render_plan_text(plan, make_console())
    return ExitCode.OK
