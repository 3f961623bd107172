"""`kpi validate`: the config parses, every source loads and has the columns the config needs.

The method's own checks (the lint rule: one primary KPI, an owner and a review date for each,
no vanity metric as the primary KPI) are printed as advice after the verdict; they do not fail
validation, since `kpi check` reports them as findings with the exit code the team chose.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kpi_cli import verify
from kpi_cli.commands.language import chosen_lang
from kpi_cli.config import load_config
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.ingest import combine
from kpi_cli.review import build_context, read_checked
from kpi_cli.rules import lint


def run(config: Path, lang: Lang | None = None) -> ExitCode:
    loaded = load_config(config)
    spans = read_checked(loaded, unmapped_sums=True)  # the advice names unread numeric columns
    exports = [e for span in spans for e in span.exports]
    print(
        f"{config}: ok: {len(spans)} source(s), {len(exports)} file(s), {sum(e.rows for e in exports)} rows, "
        f"{len(loaded.config.kpis)} KPI(s)"
    )
    # The newest row stands in for "today" so that lint's reachability check sees all the data.
    newest = max((d for d in (s.newest() for s in spans) if d is not None), default=date.today())
    context = build_context(
        loaded.config, loaded.catalog, combine(spans), newest, spans=spans, judge_counts=False
    )
    for finding in lint.evaluate(context):
        print(f"{config}: lint: {finding.describe(chosen_lang(lang))}")
    for line in verify.advice(spans):
        print(f"{config}: advice: {line}")
    return ExitCode.OK
