"""What a comparison should make someone look at, each a pure test on the compared groups.

The rule that turns these into findings (and so into every output and the history) lives with
the other rules; here is only the arithmetic, with each flag's parameters, so that a finding can
be worded per language later.

- `bought_followers`: followers bought or inactive gain a count without engagement. A group
  whose engagements per follower gained are far below its peers' (the upper end of its
  exact Poisson interval under `ratio` times the peers' pooled figure) while it gained at
  least `min_followers`.
- `costly_influencer`: an influencer whose cost per conversion is far above the campaign's:
  the lower end of its CPA interval over `ratio` times the total CPA.
- `segment_below_shared`: a segment's own account engaging less than the shared account
  (its engagement-rate interval wholly below the shared account's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi_cli.compare.intervals import poisson
from kpi_cli.compare.table import Comparison, Figure, Group


@dataclass(frozen=True)
class Flag:
    code: str
    group: str
    params: dict[str, float | str | None] = field(default_factory=dict)


def _engagements(group: Group) -> float | None:
    rate = group.figures[Figure.ENGAGEMENT_RATE]
    if rate.value is None:
        return None
    return rate.value * rate.basis


def bought_followers(comparison: Comparison, ratio: float = 0.25, min_followers: float = 100) -> list[Flag]:
    flags = []
    for group in comparison.groups:
        gained, engaged = group.followers or 0.0, _engagements(group)
        if gained < min_followers or engaged is None:
            continue
        peers = [g for g in comparison.groups if g is not group and (g.followers or 0) > 0]
        peer_engaged = sum(e for g in peers if (e := _engagements(g)) is not None)
        peer_gained = sum(g.followers or 0.0 for g in peers)
        if not peer_gained or not peer_engaged:
            continue
        peer_rate = peer_engaged / peer_gained
        upper = poisson(engaged).high
        assert upper is not None
        if upper / gained < ratio * peer_rate:
            flags.append(
                Flag(
                    "compare.bought_followers",
                    group.name,
                    {
                        "followers_gained": gained,
                        "engagements": engaged,
                        "per_follower": engaged / gained,
                        "peers_per_follower": peer_rate,
                        "ratio": ratio,
                    },
                )
            )
    return flags


def costly_influencer(comparison: Comparison, ratio: float = 2.0) -> list[Flag]:
    total = comparison.total.figures[Figure.CPA].value
    if not total:
        return []
    flags = []
    for group in comparison.groups:
        cpa = group.figures[Figure.CPA]
        if cpa.low is not None and cpa.low > ratio * total:
            flags.append(
                Flag(
                    "compare.costly_influencer",
                    group.name,
                    {
                        "cpa": cpa.value,
                        "cpa_low": cpa.low,
                        "cost": group.cost,
                        "campaign_cpa": total,
                        "ratio": ratio,
                    },
                )
            )
    return flags


def segment_below_shared(comparison: Comparison, shared: str) -> list[Flag]:
    anchor = next((g for g in comparison.groups if g.name == shared), None)
    if anchor is None or anchor.figures[Figure.ENGAGEMENT_RATE].low is None:
        return []
    floor = anchor.figures[Figure.ENGAGEMENT_RATE].low
    assert floor is not None
    flags = []
    for group in comparison.groups:
        rate = group.figures[Figure.ENGAGEMENT_RATE]
        if group is anchor or rate.high is None:
            continue
        if rate.high < floor:
            flags.append(
                Flag(
                    "compare.segment_below_shared",
                    group.name,
                    {
                        "engagement_rate": rate.value,
                        "shared": shared,
                        "shared_rate": anchor.figures[Figure.ENGAGEMENT_RATE].value,
                    },
                )
            )
    return flags
