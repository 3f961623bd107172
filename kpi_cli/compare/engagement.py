"""Engagement rate as each platform defines it, so a ranking never mixes two definitions unawares.

X and LinkedIn report engagements over impressions; Facebook engaged users over reach;
Instagram interactions (likes, comments, shares, saves) over reach. The definitions are not
comparable: a reach-based rate is larger than an impression-based one for the same posts. A
comparison across platforms with different definitions is refused unless the user picks one
(`--engagement impressions|reach`), which is then applied to every group and named.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Basis(StrEnum):
    IMPRESSIONS = "impressions"
    REACH = "reach"


@dataclass(frozen=True)
class Definition:
    numerator: tuple[str, ...]  # canonical metrics summed
    basis: Basis

    @property
    def text(self) -> str:
        return f"{' + '.join(self.numerator)} / {self.basis.value}"


_ENGAGEMENTS = ("engagements",)
_INTERACTIONS = ("likes", "comments", "shares", "saves")

PLATFORM_DEFINITIONS: dict[str, Definition] = {
    "x": Definition(_ENGAGEMENTS, Basis.IMPRESSIONS),
    "linkedin": Definition(_ENGAGEMENTS, Basis.IMPRESSIONS),
    "facebook_page": Definition(_ENGAGEMENTS, Basis.REACH),
    "instagram": Definition(_INTERACTIONS, Basis.REACH),
    "tiktok": Definition(_INTERACTIONS, Basis.REACH),
}
DEFAULT = Definition(_ENGAGEMENTS, Basis.IMPRESSIONS)
# A source whose rows carry any of these measures engagement, and so has a say in the definition.
ENGAGEMENT_COLUMNS = (*_ENGAGEMENTS, *_INTERACTIONS)


class MixedDefinitions(ValueError):
    """The groups' platforms define engagement differently and no basis was chosen."""


def definition_for(platforms: set[str], chosen: Basis | None) -> Definition:
    """The one definition a comparison uses: the platforms' common one, or the chosen basis.

    With a chosen basis, the numerator is engagements where every platform reports them, else
    the interactions (likes, comments, shares, saves) every platform does report.
    """
    found = {PLATFORM_DEFINITIONS.get(p, DEFAULT) for p in platforms} or {DEFAULT}
    if chosen is None:
        if len(found) > 1:
            listed = "; ".join(sorted(f"{d.text}" for d in found))
            raise MixedDefinitions(
                f"the platforms compared define engagement rate differently ({listed}); "
                "choose one basis with --engagement impressions or --engagement reach"
            )
        return next(iter(found))
    numerators = {d.numerator for d in found}
    numerator = next(iter(numerators)) if len(numerators) == 1 else _INTERACTIONS
    return Definition(numerator, chosen)
