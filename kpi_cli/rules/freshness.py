"""freshness: numbers are only as current as the newest export behind them.

Per source: the newest row dated on or before as_of must be at most `max_age` days old (the
source's own `max_age:` wins over `defaults: freshness: max_age`, default 3); a source with no rows
up to as_of is reported too. Per KPI view: no data in its last N complete periods (N = the stalled
rule's `periods`) after data before them is stale data, and reported here rather than as a stall.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from kpi_cli.assess import KpiView
from kpi_cli.config.base import Days
from kpi_cli.config.settings import rule_settings
from kpi_cli.findings import Finding, Severity
from kpi_cli.ingest import SourceSpan
from kpi_cli.metrics import periods
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope
from kpi_cli.rules.stalled import StalledSettings

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
    for view in ctx.kpis:
        if rule_settings(ctx.config, view.kpi.rules, NAME, FreshnessKpiSettings).enabled:
            stalled = rule_settings(ctx.config, view.kpi.rules, "stalled", StalledSettings)
            finding = _stale_kpi(view, stalled.periods)
            found.extend([finding] if finding else [])
    return found


def _files(span: SourceSpan) -> list[str]:
    return [e.path.name for e in span.exports]


def _source(span: SourceSpan, settings: FreshnessSettings, as_of: date) -> Finding | None:
    max_age = span.config.max_age if span.config.max_age is not None else settings.max_age
    last = span.newest(as_of)
    if last is None:
        return _empty(span, as_of)
    age = (as_of - last).days
    if age <= max_age:
        return None
    files = ", ".join(_files(span)) or "no files"
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        message=(
            f"source '{span.config.name}' ({files}): newest row {last}, {age} days before {as_of} "
            f"(at most {max_age} allowed): its numbers stop short of the review date"
        ),
        evidence={
            "source": span.config.name,
            "files": _files(span),
            "newest": last.isoformat(),
            "age_days": age,
            "max_age": max_age,
            "as_of": as_of.isoformat(),
        },
        action=f"export '{span.config.name}' again up to {as_of} and re-run the review",
        code="freshness.source",
    )


def _empty(span: SourceSpan, as_of: date) -> Finding:
    files = ", ".join(_files(span)) or "no files"
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        message=f"source '{span.config.name}' ({files}) has no rows dated on or before {as_of}",
        evidence={
            "source": span.config.name,
            "files": _files(span),
            "newest": None,
            "as_of": as_of.isoformat(),
        },
        action=f"check that '{span.config.path}' is the right export and covers the campaign",
        code="freshness.no_rows",
    )


def _stale_kpi(view: KpiView, n: int) -> Finding | None:
    history = view.complete_history
    recent, earlier = history.tail(n), history.iloc[:-n]
    if len(recent) < n or recent.notna().any() or earlier.dropna().empty:
        return None
    last = earlier.dropna().index[-1]
    labels = [periods.label(p) for p in recent.index]
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        kpi=view.kpi.id,
        segment=view.segment,
        owner=view.kpi.owner,
        message=(
            f"{view.kpi.label}: stale data: no {view.kpi.metric} in the last {n} complete periods "
            f"({labels[0]}..{labels[-1]}); last measured in {periods.label(last)}"
        ),
        evidence={"periods_without_data": labels, "last_with_data": periods.label(last), "periods": n},
        action=f"check the export that carries {view.kpi.metric}: it has stopped delivering it",
        code="freshness.kpi_stale",
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: FreshnessSettings, Scope.KPI: FreshnessKpiSettings},
)
