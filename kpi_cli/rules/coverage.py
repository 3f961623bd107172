"""coverage: every source covers the reviewed period day by day, and no two sources feed one number.

Per source, the days of the reviewed month (up to as_of, less the source's allowed lag, in a
running month) that none of its rows cover: a file ending on the 10th is `coverage.short`, days
missing before its last covered day are `coverage.gap`. Rows spread from a period total under
`split: prorata` are `coverage.estimated` (info): the month's figures from them are estimates.
Two sources carrying the same metric that a KPI, the KGI or a funnel stage reads without a
`where:`, on the same channel, segment and days, are `coverage.shared_feed`: summed, they count
the same events twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from kpi_cli.config.settings import rule_settings
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Term
from kpi_cli.lazy_pandas import pd
from kpi_cli.rules.freshness import FreshnessSettings, allowed_age
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope

if TYPE_CHECKING:
    from kpi_cli.coverage import Coverage
    from kpi_cli.ingest import SourceSpan
    from kpi_cli.overlaps import SharedFeed
    from kpi_cli.rules.context import RuleContext

# The day-by-day coverage and the overlaps are imported where they are computed: the config loads
# this module for its settings, before the scan, and needs none of them.

NAME = "coverage"


class Code(StrEnum):
    SHORT = "coverage.short"
    GAP = "coverage.gap"
    ESTIMATED = "coverage.estimated"
    SHARED_FEED = "coverage.shared_feed"


class CoverageSettings(RuleSettings):
    """Sources are config-wide, so the rule is set (or switched off) in `defaults:` only."""


def evaluate(ctx: RuleContext) -> list[Finding]:
    from kpi_cli.coverage import coverage

    if not rule_settings(ctx.config, None, NAME, CoverageSettings).enabled:
        return []
    freshness = rule_settings(ctx.config, None, "freshness", FreshnessSettings)
    start = ctx.month.start_time.date()
    end = min(ctx.month.end_time.date(), ctx.as_of)
    found: list[Finding] = []
    for span in ctx.sources:
        if span.newest(ctx.as_of) is None:
            continue  # no rows at all: freshness.no_rows says so
        running = end == ctx.as_of and ctx.month.end_time.date() > ctx.as_of
        # In a running month the last days are freshness's to judge (its allowed lag), not gaps.
        judged_end = end - timedelta(days=allowed_age(span, freshness)) if running else end
        if judged_end < start or not _daily_series(span, ctx.as_of):
            continue
        found += _days(coverage(span, start, judged_end), span)
        found += _estimated(span, start, end)
    return found + [_shared(feed) for feed in _used_shared_feeds(ctx)]


# Rows on at least this share of the days between a source's first and last row make it a daily
# series. A per-post or per-send export has rows only on days something happened: a day without
# a row there is no activity, not a missing day, so such sources are judged by freshness alone.
DAILY_SHARE = 0.95


def _daily_series(span: SourceSpan, as_of: date) -> bool:
    from kpi_cli.coverage import coverage

    firsts = [e.frame["date"].min() for e in span.exports if "date" in e.frame.columns and len(e.frame)]
    last = span.newest(as_of)
    if not firsts or last is None:
        return False
    whole = coverage(span, min(firsts).date(), last)
    return whole.covered >= DAILY_SHARE * whole.days


def _days(cover: Coverage, span: SourceSpan) -> list[Finding]:
    files = [e.path.name for e in span.exports]
    found = []
    gaps = list(cover.gaps)
    if cover.short and gaps and gaps[-1][1] == cover.end:
        first, last = gaps.pop()
        params = {
            "source": cover.source,
            "last": cover.last or Term("coverage.nothing"),
            "first": first,
            "end": last,
            "days": (last - first).days + 1,
        }
        found.append(
            Finding(
                rule=NAME,
                severity=Severity.WARN,
                says=Wording(Code.SHORT, params),
                evidence={
                    "source": cover.source,
                    "files": files,
                    "last_covered": cover.last.isoformat() if cover.last else None,
                    "missing": [[first.isoformat(), last.isoformat()]],
                    "missing_days": (last - first).days + 1,
                },
                todo=Wording("coverage.short.action", {"source": cover.source, "end": last}),
                code=Code.SHORT,
            )
        )
    if gaps:
        missing = sum((b - a).days + 1 for a, b in gaps)
        found.append(
            Finding(
                rule=NAME,
                severity=Severity.WARN,
                says=Wording(
                    Code.GAP, {"source": cover.source, "days": missing, "runs": [_run(a, b) for a, b in gaps]}
                ),
                evidence={
                    "source": cover.source,
                    "files": files,
                    "missing": [[a.isoformat(), b.isoformat()] for a, b in gaps],
                    "missing_days": missing,
                },
                todo=Wording("coverage.gap.action", {"source": cover.source}),
                code=Code.GAP,
            )
        )
    return found


def _run(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"


def _estimated(span: SourceSpan, start: date, end: date) -> list[Finding]:
    from kpi_cli.spans import ESTIMATED

    days: set[date] = set()
    for export in span.exports:
        frame = export.frame
        if ESTIMATED not in frame.columns:
            continue
        inside = frame[
            frame[ESTIMATED].astype(bool) & frame["date"].between(pd.Timestamp(start), pd.Timestamp(end))
        ]
        days |= {d.date() for d in inside["date"]}
    if not days:
        return []
    params = {"source": span.config.name, "days": len(days), "first": min(days), "last": max(days)}
    return [
        Finding(
            rule=NAME,
            severity=Severity.INFO,
            says=Wording(Code.ESTIMATED, params),
            evidence={
                "source": span.config.name,
                "estimated": True,
                "estimated_days": len(days),
                "first": min(days).isoformat(),
                "last": max(days).isoformat(),
            },
            code=Code.ESTIMATED,
        )
    ]


def _used_shared_feeds(ctx: RuleContext) -> list[SharedFeed]:
    """Shared feeds of the columns some KPI, the KGI or a funnel stage reads from every source."""
    from kpi_cli.overlaps import shared_feeds

    if len({span.config.name for span in ctx.sources}) < 2:
        return []  # no two sources to share a feed: skip combining every row once more (1M: ~1 s)
    catalog, config = ctx.data.catalog, ctx.config
    stages = config.funnel.stages if config.funnel else []
    unfiltered = [config.kgi.metric] + [k.metric for k in config.kpis if not k.where]
    unfiltered += [s.metric for s in stages if not s.where]
    columns = {c for metric in unfiltered for c in catalog.columns(metric)}
    return [feed for feed in shared_feeds(ctx.sources) if feed.metric in columns]


def _shared(feed: SharedFeed) -> Finding:
    first, second = feed.sources
    params = {
        "metric": feed.metric,
        "first": first,
        "second": second,
        "days": feed.days,
        "channel": feed.channel or "-",
        "segment": feed.segment or "-",
    }
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        says=Wording(Code.SHARED_FEED, params),
        evidence={
            "metric": feed.metric,
            "sources": [first, second],
            "channel": feed.channel,
            "segment": feed.segment,
            "days": feed.days,
        },
        todo=Wording(
            "coverage.shared_feed.action", {"metric": feed.metric, "first": first, "second": second}
        ),
        code=Code.SHARED_FEED,
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: CoverageSettings},
)
