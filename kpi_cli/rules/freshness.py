"""freshness: numbers are only as current as the newest export behind them.

Per source: the newest row dated on or before as_of must be at most `max_age` days old (the
source's own `max_age:` wins over `defaults: freshness: max_age`, default 3, which a source of
period totals stretches to the days its newest row totals); a source with no rows
up to as_of is reported too. Per KPI view: no data in its last N complete periods (N = the stalled
rule's `periods`, at most 3) after data before them is stale data, and reported here rather than as a stall.
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from kpi_cli.config.base import Days
from kpi_cli.config.settings import rule_settings
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Term
from kpi_cli.lazy_pandas import np
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import PerTable, RuleSettings, RuleSpec, Scope
from kpi_cli.rules.stalled import StalledSettings

if TYPE_CHECKING:
    from kpi_cli.assess import KpiView
    from kpi_cli.ingest import SourceSpan
    from kpi_cli.rules.context import RuleContext

NAME = "freshness"


class Code(StrEnum):
    SOURCE = "freshness.source"
    NO_ROWS = "freshness.no_rows"
    KPI_STALE = "freshness.kpi_stale"


class FreshnessSettings(RuleSettings):
    """`max_age` is per source, so only `defaults:` (and each source's own `max_age:`) sets it."""

    max_age: Days = 3


class FreshnessKpiSettings(RuleSettings):
    """In a KPI's `rules:` only the stale-data check can be switched off."""


def evaluate(ctx: RuleContext) -> list[Finding]:
    defaults = rule_settings(ctx.config, None, NAME, FreshnessSettings)
    found = [f for span in ctx.sources if defaults.enabled and (f := _source(span, defaults, ctx.as_of))]
    kpi_settings = PerTable(ctx.config, NAME, FreshnessKpiSettings)
    stalled_settings = PerTable(ctx.config, "stalled", StalledSettings)
    for view in ctx.kpis:
        if not kpi_settings(view.kpi.rules).enabled:
            continue
        finding = _stale_kpi(view, stalled_settings(view.kpi.rules).stale_periods)
        if finding is not None:
            found.append(finding)
    return found


def _files(span: SourceSpan) -> list[str]:
    return [e.path.name for e in span.exports]


def allowed_age(span: SourceSpan, settings: FreshnessSettings) -> int:
    """The source's own `max_age:`, else the default, stretched to the span of its newest row.

    A monthly download (rows totalling a month) is due once a month: judged against "3 days" it
    would be stale by the 4th of every month. Its allowance is the number of days its newest row
    totals, so it is stale only once a whole further span has ended without a new file.
    """
    if span.config.max_age is not None:
        return span.config.max_age
    return max(settings.max_age, span.newest_span_days())


def _source(span: SourceSpan, settings: FreshnessSettings, as_of: date) -> Finding | None:
    max_age = allowed_age(span, settings)
    last = span.newest(as_of)
    if last is None:
        return _empty(span, as_of)
    age = (as_of - last).days
    if age <= max_age:
        return None
    params = {"source": span.config.name, "files": _files_param(span), "newest": last, "age": age}
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        says=Wording(Code.SOURCE, {**params, "as_of": as_of, "max_age": max_age}),
        evidence={
            "source": span.config.name,
            "files": _files(span),
            "newest": last.isoformat(),
            "age_days": age,
            "max_age": max_age,
            "as_of": as_of.isoformat(),
        },
        todo=Wording("freshness.source.action", {"source": span.config.name, "as_of": as_of}),
        code=Code.SOURCE,
    )


def _files_param(span: SourceSpan) -> list[str] | Term:
    return _files(span) or Term("no_files")


def _empty(span: SourceSpan, as_of: date) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        says=Wording(Code.NO_ROWS, {"source": span.config.name, "files": _files_param(span), "as_of": as_of}),
        evidence={
            "source": span.config.name,
            "files": _files(span),
            "newest": None,
            "as_of": as_of.isoformat(),
        },
        todo=Wording("freshness.no_rows.action", {"path": span.config.path}),
        code=Code.NO_ROWS,
    )


def _stale_kpi(view: KpiView, n: int) -> Finding | None:
    # On the bare values first: most views (10,000 campaigns each) are not stale, and pandas'
    # tail/dropna on each of them cost 14 s of a `--by campaign` run.
    values = view.complete_values
    count = len(values)
    # The last period first, without numpy's calls (~3 us): most views have data in it.
    if n < 1 or count < n or not math.isnan(values[count - 1]) or not np.isnan(values[count - n :]).all():
        return None
    history = view.complete_history
    measured = np.flatnonzero(~np.isnan(values[: len(values) - n]))
    if not len(measured):
        return None
    recent, last = history.tail(n), history.index[measured[-1]]
    labels = [periods.label(p) for p in recent.index]
    params = {
        "label": view.kpi.label,
        "metric": view.kpi.metric,
        "periods": n,
        "first": labels[0],
        "last": labels[-1],
        "last_with_data": periods.label(last),
    }
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        says=Wording(Code.KPI_STALE, params),
        evidence={"periods_without_data": labels, "last_with_data": periods.label(last), "periods": n},
        todo=Wording("freshness.kpi_stale.action", {"metric": view.kpi.metric}),
        code=Code.KPI_STALE,
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: FreshnessSettings, Scope.KPI: FreshnessKpiSettings},
)
