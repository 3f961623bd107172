"""`kpi plan`: back from the KGI target, the monthly volume each funnel stage needs by the deadline."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.evaluation import Rules, Scope, evaluate
from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, check_choice, window_months
from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.plan import PlanOptions, build_plan
from kpi_cli.render.console import emit
from kpi_cli.render.format_names import Format
from kpi_cli.render.plan import plan_json, render_plan_text

FORMATS = (Format.TEXT, Format.JSON)


def run(
    config: Path,
    as_of: str | None,
    window: int,
    fmt: Format,
    use_benchmarks: bool,
    lang: Lang | None = None,
) -> ExitCode:
    check_choice("--format", fmt, FORMATS)  # the Format enum names every output; plan writes two
    window_months(window)
    day = as_of_date(as_of)
    loaded = load_config(config)
    # Checked before reading any source: without a funnel there is nothing to back-calculate.
    if loaded.config.funnel is None:
        raise ConfigError.said("error.plan.no_funnel", config=str(config))
    review = evaluate(loaded, Scope(day, rules=Rules.NONE))
    plan = build_plan(loaded.config, review.context.data, PlanOptions(window, use_benchmarks))
    reader = chosen_lang(lang)
    if fmt == Format.JSON:
        print(plan_json(plan, reader))
    else:
        emit(lambda console: render_plan_text(plan, console, reader))
    return ExitCode.OK
