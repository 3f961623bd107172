"""`kpi validate`: the config parses, every source loads and has the columns the config needs.

The method's own checks (the lint rule: one primary KPI, an owner and a review date for each,
no vanity metric as the primary KPI) are printed as advice after the verdict; they do not fail
validation, since `kpi check` reports them as findings with the exit code the team chose.
"""

from __future__ import annotations

from pathlib import Path

from kpi_cli import verify
from kpi_cli.commands.evaluation import Rules, Scope, evaluate
from kpi_cli.commands.language import chosen_lang
from kpi_cli.config import load_config
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang, Wording, render


def run(config: Path, lang: Lang | None = None) -> ExitCode:
    reader = chosen_lang(lang)
    # As of the newest row, so that lint's reachability check sees all the data.
    review = evaluate(load_config(config), Scope(None, rules=Rules.LINT, unmapped_sums=True))
    spans = review.sources
    exports = [e for span in spans for e in span.exports]
    counts = {
        "config": str(config),
        "sources": len(spans),
        "files": len(exports),
        "rows": sum(e.rows for e in exports),
        "kpis": len(review.config.kpis),
    }
    print(render(Wording("validate.ok", counts), reader))
    for finding in review.findings:
        said = {"config": str(config), "message": finding.describe(reader)}
        print(render(Wording("validate.lint", said), reader))
    for line in verify.advice(spans, reader):
        print(render(Wording("validate.advice", {"config": str(config), "message": line}), reader))
    return ExitCode.OK
