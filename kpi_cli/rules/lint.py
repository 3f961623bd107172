"""lint: the method's own checks on the config, before any number is trusted.

One primary KPI per goal, an owner and a review date for every KPI, no vanity metric as the
primary KPI, every KPI reachable from the data, and a funnel whose every stage is a subset of the
one before it.
"""

from __future__ import annotations

from enum import StrEnum

from kpi_cli.config.models import Config, KpiConfig
from kpi_cli.findings import Finding, Severity
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.numbers import number
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSpec
from kpi_cli.sources.canonical import VANITY

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


def _warn(message: str, code: str, kpi: KpiConfig | None = None, **evidence: object) -> Finding:
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        message=message,
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
        return [_warn("no KPI is marked primary: name the one KPI that drives the KGI", "lint.no_primary")]
    return [
        _warn(
            f"{len(primary)} primary KPIs ({', '.join(primary)}): several KPIs dilute focus, keep one",
            "lint.many_primary",
            primary=primary,
        )
    ]


def _ownership(kpi: KpiConfig) -> list[Finding]:
    missing = [key for key in ("owner", "review_by") if getattr(kpi, key) is None]
    if not missing:
        return []
    return [
        _warn(
            f"KPI '{kpi.id}' has no {' and no '.join(missing)}: nobody is due to decide a pivot",
            "lint.no_owner",
            kpi,
            missing=missing,
        )
    ]


def _vanity(kpi: KpiConfig, ctx: RuleContext) -> list[Finding]:
    columns = ctx.data.catalog.columns(kpi.metric)
    if not columns <= VANITY:
        return []
    return [
        _warn(
            f"primary KPI '{kpi.id}' counts {kpi.metric}, a vanity metric that can be bought; "
            "measure inquiries, signups or sales instead",
            "lint.vanity_primary",
            kpi,
            metric=kpi.metric,
        )
    ]


def _reachable(kpi: KpiConfig, data: Dataset) -> list[Finding]:
    if not data.has_metric(kpi.metric):
        return [
            _warn(
                f"KPI '{kpi.id}': no source has a value of {kpi.metric} on or before {data.as_of}",
                "lint.unreachable",
                kpi,
                metric=kpi.metric,
            )
        ]
    wanted = kpi.segments if isinstance(kpi.segments, list) else []
    unknown = sorted(set(wanted) - set(data.values("segment")))
    if unknown:
        return [
            _warn(
                f"KPI '{kpi.id}': no source is tagged with segment {', '.join(unknown)}",
                "lint.unknown_segment",
                kpi,
                segments=unknown,
            )
        ]
    return []


def _funnel_subsets(ctx: RuleContext) -> list[Finding]:
    if ctx.config.funnel is None or ctx.data.frame.empty:
        return []
    stages = ctx.config.funnel.stages
    start, end = ctx.data.frame["date"].min().date(), ctx.as_of
    totals = [ctx.data.total(s.metric, start, end) for s in stages]
    return [
        _warn(
            f"funnel stage '{b.name}' ({number(tb)}) is larger than '{a.name}' ({number(ta)}) before it: "
            "a stage should be a subset of the one before",
            "lint.funnel_order",
            stage=b.name,
            count=tb,
            previous_stage=a.name,
            previous_count=ta,
        )
        for a, b, ta, tb in zip(stages, stages[1:], totals, totals[1:], strict=False)
        if tb > ta
    ]


RULE = RuleSpec(name=NAME, summary=__doc__ or "", codes=Code, run=evaluate)
