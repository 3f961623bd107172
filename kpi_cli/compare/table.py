"""One row per group (account, influencer, segment, campaign or channel), ranked honestly.

Every figure is a ratio of sums over the group's rows in the period, never a mean of row ratios.
Ranking uses the conservative end of each figure's interval (the lower end where higher is
better, the upper end for costs), so a small group cannot rank first on luck; a group whose
denominator is below the minimum is shown and marked `too_small`, not ranked. Equal
conservative values share a rank (1, 2, 2, 4). Rows without a value for the dimension form
the group `(not set)`: dropping them would make the total disagree with the rest of the review.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kpi_cli.compare.engagement import ENGAGEMENT_COLUMNS, Basis, Definition, definition_for
from kpi_cli.compare.intervals import NONE, Estimate, per_count, scaled_by_count, wilson
from kpi_cli.lazy_pandas import pd

NOT_SET = "(not set)"
MIN_TRIALS = 30  # a share over fewer trials than this is not ranked
MIN_EVENTS = 3  # a cost per event over fewer events than this is not ranked


class Figure(StrEnum):
    ENGAGEMENT_RATE = "engagement_rate"
    CTR = "ctr"
    CONVERSION_RATE = "conversion_rate"
    CPA = "cpa"
    ROAS = "roas"

    @property
    def lower_is_better(self) -> bool:
        return self is Figure.CPA


@dataclass(frozen=True)
class Group:
    name: str
    impressions: float | None
    reach: float | None
    followers: float | None
    cost: float | None
    conversions: float | None
    figures: Mapping[Figure, Estimate]
    cost_share: float | None = None
    conversion_share: float | None = None
    rank: int | None = None
    previous_rank: int | None = None
    too_small: bool = False


@dataclass(frozen=True)
class Comparison:
    dimension: str
    period: pd.Period
    ranked_by: Figure
    engagement: Definition
    groups: list[Group]
    total: Group
    notes: list[str] = field(default_factory=list)


def _sum(rows: pd.DataFrame, *columns: str) -> float | None:
    present = [c for c in columns if c in rows.columns and rows[c].notna().any()]
    if not present:
        return None
    return float(rows[present].sum(min_count=1).sum())


CLICKS = ("clicks", "link_clicks")
CONVERSIONS = ("conversions", "customers", "leads")


def _first(rows: pd.DataFrame, *choices: str) -> str:
    """The first of the canonical metrics the rows measure (clicks, else link clicks).

    Chosen once for the whole comparison: chosen per group, one group's leads were divided by
    the total's purchases (a conversion share of 1,381 %).
    """
    return next((c for c in choices if _sum(rows, c) is not None), choices[0])


def _group(
    name: str, rows: pd.DataFrame, engagement: Definition, confidence: float, counted: tuple[str, str]
) -> Group:
    impressions, reach = _sum(rows, "impressions"), _sum(rows, "reach")
    clicks, conversions = _sum(rows, counted[0]), _sum(rows, counted[1])
    cost, revenue = _sum(rows, "cost"), _sum(rows, "revenue")
    engaged = _sum(rows, *engagement.numerator)
    basis = impressions if engagement.basis is Basis.IMPRESSIONS else reach
    figures = {
        Figure.ENGAGEMENT_RATE: _share(engaged, basis, confidence),
        Figure.CTR: _share(clicks, impressions, confidence),
        Figure.CONVERSION_RATE: _share(conversions, clicks, confidence),
        Figure.CPA: per_count(cost, conversions, confidence)
        if cost is not None and conversions is not None
        else NONE,
        Figure.ROAS: _roas(revenue, cost, conversions, confidence),
    }
    return Group(name, impressions, reach, _sum(rows, "followers"), cost, conversions, figures)


def _share(part: float | None, whole: float | None, confidence: float) -> Estimate:
    return NONE if part is None or not whole else wilson(part, whole, confidence)


def _roas(revenue: float | None, cost: float | None, purchases: float | None, confidence: float) -> Estimate:
    if revenue is None or not cost:
        return NONE
    return scaled_by_count(revenue / cost, purchases or 0.0, confidence)


def _too_small(group: Group, figure: Figure) -> bool:
    estimate = group.figures[figure]
    if not estimate.known:
        return True
    needed = MIN_EVENTS if figure in (Figure.CPA, Figure.ROAS) else MIN_TRIALS
    return estimate.basis < needed


def _conservative(group: Group, figure: Figure) -> float:
    estimate = group.figures[figure]
    if figure.lower_is_better:
        return math.inf if estimate.high is None else estimate.high
    return -math.inf if estimate.low is None else estimate.low


def rank(groups: list[Group], figure: Figure) -> list[Group]:
    """Ranked groups first (competition ranking on the conservative end), then the too-small ones."""
    marked = [_with(g, too_small=_too_small(g, figure)) for g in groups]
    ranked = [g for g in marked if not g.too_small]
    sign = 1.0 if figure.lower_is_better else -1.0
    ranked.sort(key=lambda g: (sign * _conservative(g, figure), g.name))
    out: list[Group] = []
    for position, group in enumerate(ranked, start=1):
        tied = out and _conservative(out[-1], figure) == _conservative(group, figure)
        out.append(_with(group, rank=out[-1].rank if tied else position))
    small = sorted((g for g in marked if g.too_small), key=lambda g: g.name)
    return out + small


def _with(group: Group, **changes: object) -> Group:
    from dataclasses import replace

    return replace(group, **changes)  # type: ignore[arg-type]


def compare(
    frame: pd.DataFrame,
    dimension: str,
    period: pd.Period,
    figure: Figure,
    platforms: Mapping[str, str],
    *,
    basis: Basis | None = None,
    confidence: float = 0.95,
) -> Comparison:
    """The comparison of `period` by `dimension`, with the previous period's ranks beside it.

    `platforms` maps each source name to its platform (for the engagement definition).
    """
    engagement = definition_for(_engaging_platforms(_in_period(frame, period), platforms), basis)
    inside = _in_period(frame, period)
    counted = (_first(inside, *CLICKS), _first(inside, *CONVERSIONS))
    current = _groups(frame, dimension, period, engagement, confidence, counted)
    previous = {
        g.name: g.rank
        for g in rank(_groups(frame, dimension, period - 1, engagement, confidence, counted), figure)
    }
    ranked = [_with(g, previous_rank=previous.get(g.name)) for g in rank(current, figure)]
    total = _group("total", inside, engagement, confidence, counted)
    shared = [_shares(g, total) for g in ranked]
    return Comparison(dimension, period, figure, engagement, shared, _shares(total, total))


def _engaging_platforms(rows: pd.DataFrame, platforms: Mapping[str, str]) -> set[str]:
    """The platforms of the sources that measure engagement in the rows.

    A newsletter or a web-analytics export measures none, so its platform has no say in which
    definition the comparison uses (else every mix of SNS and other sources would be refused).
    """
    if "source" not in rows.columns:
        return set()
    measured = [c for c in ENGAGEMENT_COLUMNS if c in rows.columns]
    if not measured:
        return set()
    engaging = rows[rows[measured].notna().any(axis=1)]
    return {platforms.get(str(s), "") for s in engaging["source"].dropna().unique()} - {""}


def _in_period(frame: pd.DataFrame, period: pd.Period) -> pd.DataFrame:
    if frame.empty:
        return frame
    inside: pd.DataFrame = frame[frame["date"].dt.to_period("M") == period]
    return inside


def _groups(
    frame: pd.DataFrame,
    dimension: str,
    period: pd.Period,
    engagement: Definition,
    confidence: float,
    counted: tuple[str, str],
) -> list[Group]:
    inside = _in_period(frame, period)
    if inside.empty:
        return []
    keys = (
        inside[dimension].astype("string").fillna(NOT_SET)
        if dimension in inside.columns
        else pd.Series(NOT_SET, index=inside.index)
    )
    return [
        _group(str(name), rows, engagement, confidence, counted)
        for name, rows in inside.groupby(keys, sort=True)
    ]


def _shares(group: Group, total: Group) -> Group:
    def share(part: float | None, whole: float | None) -> float | None:
        return None if part is None or not whole else part / whole

    return _with(
        group,
        cost_share=share(group.cost, total.cost),
        conversion_share=share(group.conversions, total.conversions),
    )
