"""compare: accounts and influencers that collect followers or cost without results.

Follower counts can be bought; engagement and conversions cannot. Each review compares the
reviewed month's accounts and influencers (the dimensions named in `by`, where the data has them)
and flags, each on its interval so that luck in a small group does not fire it:

- `compare.bought_followers`: followers gained while engagements per follower gained sit far
  below the peers' (the upper end of the engagement count's exact interval, per follower, under
  `follower_ratio` times the peers' pooled figure), with at least `min_followers` gained;
- `compare.costly_influencer`: an influencer whose cost per conversion is far above the
  campaign's (the lower end of its CPA interval over `cpa_ratio` times the total CPA);
- `compare.segment_below_shared`: a segment's own account whose engagement rate interval lies
  wholly below the `shared:` account's.

Rows with no value for the dimension (`(not set)`, e.g. the brand's own posts when comparing
influencers) are neither flagged nor anybody's peer.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from kpi_cli.compare.engagement import Basis
from kpi_cli.config.settings import rule_settings
from kpi_cli.config.types import Number
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.metrics import periods
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope

if TYPE_CHECKING:
    from kpi_cli.compare.flags import Flag
    from kpi_cli.compare.table import Comparison
    from kpi_cli.rules.context import RuleContext

NAME = "compare"


class Code(StrEnum):
    BOUGHT_FOLLOWERS = "compare.bought_followers"
    COSTLY_INFLUENCER = "compare.costly_influencer"
    SEGMENT_BELOW_SHARED = "compare.segment_below_shared"


Compared = Literal["account", "influencer"]


class CompareFlagsSettings(RuleSettings):
    by: list[Compared] = Field(default_factory=lambda: list[Compared](["account", "influencer"]))
    follower_ratio: Number = Field(0.25, gt=0, le=1)
    min_followers: Number = Field(100, ge=0)
    cpa_ratio: Number = Field(2.0, gt=1)
    shared: str | None = None  # the account every segment's own account is measured against
    # The basis when the compared platforms define engagement differently (as `--engagement`).
    engagement: Basis = Basis.REACH


def evaluate(ctx: RuleContext) -> list[Finding]:
    # The comparison is imported when the rule runs: the config loads this module for its settings.
    from kpi_cli.compare.build import has_dimension
    from kpi_cli.compare.flags import bought_followers, costly_influencer, segment_below_shared

    settings = rule_settings(ctx.config, None, NAME, CompareFlagsSettings)
    if not settings.enabled:
        return []
    frame = ctx.data.frame
    found: list[Finding] = []
    for dimension in settings.by:
        if not has_dimension(frame, dimension):
            continue
        comparison = _named_groups(_compare(ctx, dimension, settings.engagement))
        flags = bought_followers(comparison, settings.follower_ratio, settings.min_followers)
        if dimension == "influencer":
            flags += costly_influencer(comparison, settings.cpa_ratio)
        if dimension == "account" and settings.shared is not None:
            flags += segment_below_shared(comparison, settings.shared)
        found += [_finding(ctx, dimension, flag) for flag in flags]
    return found


def _compare(ctx: RuleContext, dimension: str, basis: Basis) -> Comparison:
    from kpi_cli.compare.build import platforms_of
    from kpi_cli.compare.engagement import MixedDefinitions
    from kpi_cli.compare.table import Figure, compare

    platforms = platforms_of(ctx.sources)
    try:
        return compare(ctx.data.frame, dimension, ctx.month, Figure.CPA, platforms)
    except MixedDefinitions:
        return compare(ctx.data.frame, dimension, ctx.month, Figure.CPA, platforms, basis=basis)


def _named_groups(comparison: Comparison) -> Comparison:
    from kpi_cli.compare.table import NOT_SET

    return replace(comparison, groups=[g for g in comparison.groups if g.name != NOT_SET])


def _q(value: object, unit: Unit = Unit.NUMBER) -> Quantity:
    return Quantity(value if isinstance(value, (int, float)) else None, unit)


def _finding(ctx: RuleContext, dimension: str, flag: Flag) -> Finding:
    p = flag.params
    subject = {"dimension": Term(f"compare.dimension.{dimension}"), "group": flag.group}
    period = periods.label(ctx.month)
    if flag.code == Code.BOUGHT_FOLLOWERS:
        says = Wording(
            flag.code,
            {
                **subject,
                "period": period,
                "followers": _q(p["followers_gained"]),
                "per_follower": _q(p["per_follower"]),
                "peers": _q(p["peers_per_follower"]),
            },
        )
        todo = Wording("compare.action.audit_followers", subject)
    elif flag.code == Code.COSTLY_INFLUENCER:
        key = flag.code if p["cpa"] is not None else f"{flag.code}.none"  # no conversion: no CPA
        says = Wording(
            key,
            {
                **subject,
                "period": period,
                "cpa": _q(p["cpa"]),
                "cost": _q(p["cost"]),
                "campaign_cpa": _q(p["campaign_cpa"]),
            },
        )
        todo = Wording("compare.action.renegotiate", subject)
    else:
        says = Wording(
            flag.code,
            {
                **subject,
                "period": period,
                "rate": _q(p["engagement_rate"], Unit.RATE),
                "shared": str(p["shared"]),
                "shared_rate": _q(p["shared_rate"], Unit.RATE),
            },
        )
        todo = Wording("compare.action.review_content", subject)
    return Finding(
        rule=NAME,
        severity=Severity.WARN,
        says=says,
        evidence={"dimension": dimension, "group": flag.group, "period": period, **p},
        todo=todo,
        code=Code(flag.code),
    )


RULE = RuleSpec(
    name=NAME,
    summary=__doc__ or "",
    codes=Code,
    run=evaluate,
    settings={Scope.DEFAULTS: CompareFlagsSettings},
)
