"""The one way every command builds its evaluation: config -> sources -> data -> assessments -> findings.

`review`, `check`, `validate` and `plan` each used to assemble the pipeline themselves (`plan` built
its own Dataset, `validate` its own context), so a fix in one path missed the others. Each now asks
`evaluate` for a `Review` (the rules' context plus findings) and chooses only what to render:

- review, check: every rule;
- validate: the lint rule only, as of the newest row, with the sums of unread columns for advice;
- plan: no rule, only the data and assessments its back-calculation reads.

Flag errors stay here in the command layer: a period problem is said about `--period`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING

from kpi_cli.commands.options import flag
from kpi_cli.config import LoadedConfig
from kpi_cli.findings import Finding
from kpi_cli.ingest import combine
from kpi_cli.metrics import periods
from kpi_cli.review import Review, build_context, evaluate_rules, read_checked, read_grain
from kpi_cli.sources import prefetch

if TYPE_CHECKING:
    from kpi_cli.rules.context import RuleContext


class Rules(StrEnum):
    ALL = "all"  # every registered rule, snoozes applied, worst first
    LINT = "lint"  # the method's checks of the config only (kpi validate)
    NONE = "none"  # figures only (kpi plan)


@dataclass(frozen=True)
class Scope:
    """What a command asks to evaluate. `as_of=None`: as of the newest row any source holds."""

    as_of: date | None
    month: str | None = None
    by: str | None = None
    rules: Rules = Rules.ALL
    unmapped_sums: bool = False  # validate's advice names the numeric columns no profile reads


def evaluate(loaded: LoadedConfig, scope: Scope) -> Review:
    grain = read_grain(loaded, scope.by, unmapped_sums=scope.unmapped_sums, views=True, as_of=scope.as_of)
    warm = partial(import_beside_the_scan, scope.rules)
    with prefetch.reading(loaded, grain, scope.unmapped_sums, warm):
        spans = read_checked(loaded, grain, unmapped_sums=scope.unmapped_sums)
    frame = combine(spans)
    month = None
    with flag("--period"):
        if scope.month is not None:
            month = periods.parse_period(scope.month, "month")
            dates = frame["date"].dropna() if "date" in frame.columns else frame.index[:0]
            periods.check_has_data(month, dates.min().date() if len(dates) else None)
    newest = max((d for d in (s.newest() for s in spans) if d is not None), default=date.today())
    as_of = scope.as_of or newest
    context = build_context(
        loaded.config,
        loaded.catalog,
        frame,
        as_of,
        month,
        scope.by,
        spans,
        judge_counts=scope.rules is Rules.ALL,  # pace's noise model (scipy) only where rules judge
    )
    return Review(context, _findings(context, scope.rules))


# What the rules and the review compute with. The rule modules import it where it runs, not at
# the top, because the config loads every rule module for its settings before the scan can start;
# a check imports it beside the scan instead (tests/test_lazy_imports.py pins both sides).
COMPUTATION = (
    "kpi_cli.assess",
    "kpi_cli.compare.build",
    "kpi_cli.compare.flags",
    "kpi_cli.coverage",
    "kpi_cli.metrics.dataset",
    "kpi_cli.metrics.history",
    "kpi_cli.metrics.progress",
    "kpi_cli.overlaps",
    "kpi_cli.rules.context",
    "kpi_cli.rules.drop_baseline",
    "kpi_cli.rules.drop_quiet",
    "kpi_cli.rules.exposure",
    "kpi_cli.runs.remember",
    "kpi_cli.stats.exposure",
    "kpi_cli.stats.forecast",
    "kpi_cli.stats.funnel",
    "kpi_cli.stats.shift",
    "kpi_cli.stats.theil_sen",
    "kpi_cli.verify",
)


def import_beside_the_scan(rules: Rules) -> None:
    """What the evaluation needs after the read, imported while DuckDB scans a large export
    (sources/prefetch.py): otherwise each is imported at its first use, after the scan."""
    import pandas  # noqa: F401  (numpy and pyarrow with it)

    import kpi_cli.render.formats  # noqa: F401  (the renderers, with rich)
    from kpi_cli.i18n.catalog import preload

    preload()  # the wording of every language, which the run history stores

    if rules is Rules.ALL:  # the rules' computation and distributions; validate and plan never run them
        for module in COMPUTATION:
            importlib.import_module(module)
        from kpi_cli.lazy_scipy import special

        _ = special.ndtr  # the first attribute loads scipy.special's ufuncs


def _findings(context: RuleContext, rules: Rules) -> list[Finding]:
    if rules is Rules.ALL:
        return evaluate_rules(context)
    if rules is Rules.LINT:
        from kpi_cli.rules import lint

        return lint.evaluate(context)
    return []
