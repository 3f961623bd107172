"""lint: the method's own checks on the config, before any number is trusted.

One primary KPI per goal, an owner and a review date for every KPI, no vanity metric as the
primary KPI, every KPI reachable from the data, and a funnel whose every stage is a subset of the
one before it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kpi_cli.config.models import Config, KpiConfig
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.rules.spec import RuleSpec
from kpi_cli.sources.canonical import VANITY
from kpi_cli.status import Dimension

if TYPE_CHECKING:
    from kpi_cli.metrics.dataset import Dataset
    from kpi_cli.rules.context import RuleContext

NAME = "lint"


class Code(StrEnum):
    NO_PRIMARY = "lint.no_primary"
    MANY_PRIMARY = "lint.many_primary"
    NO_OWNER = "lint.no_owner"
    VANITY_PRIMARY = "lint.vanity_primary"
    UNREACHABLE = "lint.unreachable"
    UNKNOWN_SEGMENT = "lint.unknown_segment"
    FUNNEL_ORDER = "lint.funnel_order"
    # Raised by the snooze step after the rules (kpi_cli.rules.snooze), reported as lint.
    SNOOZE_EXPIRED = "lint.snooze_expired"
    SNOOZE_UNUSED = "lint.snooze_unused"


def evaluate(ctx: RuleContext) -> list[Finding]:
    config = ctx.config
    return [
        *_primary(config),
        *[f for kpi in config.kpis for f in _ownership(kpi)],
        *[f for kpi in config.kpis if kpi.primary for f in _vanity(kpi, ctx)],
        *[f for kpi in config.kpis for f in _reachable(kpi, ctx.data)],
        *_funnel_subsets(ctx),
    ]


def _warn(
    code: Code, params: dict[str, object], kpi: KpiConfig | None = None, key: str = "", **evidence: object
) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        says=Wording(key or code, params),
        code=code,
        kpi=kpi.id if kpi else None,
        owner=kpi.owner if kpi else None,
        evidence=evidence,
    )


def _primary(config: Config) -> list[Finding]:
    primary = [k.id for k in config.kpis if k.primary]
    if len(primary) == 1:
        return []
    if not primary:
        return [_warn(Code.NO_PRIMARY, {})]
    return [_warn(Code.MANY_PRIMARY, {"count": len(primary), "kpis": primary}, primary=primary)]


def _ownership(kpi: KpiConfig) -> list[Finding]:
    missing = [key for key in ("owner", "review_by") if getattr(kpi, key) is None]
    if not missing:
        return []
    key = f"{Code.NO_OWNER}.{'both' if len(missing) == 2 else missing[0]}"
    return [_warn(Code.NO_OWNER, {"kpi": kpi.id}, kpi, key=key, missing=missing)]


def _vanity(kpi: KpiConfig, ctx: RuleContext) -> list[Finding]:
    columns = ctx.data.catalog.columns(kpi.metric)
    if not columns <= VANITY:
        return []
    return [_warn(Code.VANITY_PRIMARY, {"kpi": kpi.id, "metric": kpi.metric}, kpi, metric=kpi.metric)]


def _reachable(kpi: KpiConfig, data: Dataset) -> list[Finding]:
    if not data.has_metric(kpi.metric):
        params = {"kpi": kpi.id, "metric": kpi.metric, "as_of": data.as_of}
        return [_warn(Code.UNREACHABLE, params, kpi, metric=kpi.metric)]
    wanted = kpi.segments if isinstance(kpi.segments, list) else []
    unknown = sorted(set(wanted) - set(data.values(Dimension.SEGMENT)))
    if unknown:
        return [_warn(Code.UNKNOWN_SEGMENT, {"kpi": kpi.id, "segments": unknown}, kpi, segments=unknown)]
    return []


def _funnel_subsets(ctx: RuleContext) -> list[Finding]:
    if ctx.config.funnel is None or ctx.data.frame.empty:
        return []
    stages = ctx.config.funnel.stages
    start, end = ctx.data.frame["date"].min().date(), ctx.as_of
    totals = [ctx.data.total(s.metric, start, end) for s in stages]
    return [
        _warn(
            Code.FUNNEL_ORDER,
            {"stage": b.name, "count": tb, "previous_stage": a.name, "previous_count": ta},
            stage=b.name,
            count=tb,
            previous_stage=a.name,
            previous_count=ta,
        )
        for a, b, ta, tb in zip(stages, stages[1:], totals, totals[1:], strict=False)
        if tb > ta
    ]


RULE = RuleSpec(name=NAME, summary=__doc__ or "", codes=Code, run=evaluate)
