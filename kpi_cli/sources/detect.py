"""Choosing the profile of a file: by name (`platform: NAME`) or from its header (`platform: auto`)."""

from __future__ import annotations

import difflib
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.sources.listing import listed
from kpi_cli.sources.profile import Profile, normalise


def named(name: str, profiles: list[Profile], path: Path) -> Profile:
    by_name = {profile.name: profile for profile in reversed(profiles)}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, list(by_name), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise DataError(f"{path}: unknown platform '{name}'{hint} (known: auto, {', '.join(sorted(by_name))})")


def detected(headers: list[str], profiles: list[Profile], path: Path) -> Profile:
    """The profile with the best complete signature; an error naming the closest ones otherwise."""
    normalised = [normalise(h) for h in headers]
    scores = [(profile.detection_score(normalised), -i, profile) for i, profile in enumerate(profiles)]
    score, _, best = max(scores, key=lambda entry: entry[:2])
    if score > 0:
        return best
    raise DataError(
        f"{path}: unknown export layout; {_closest(normalised, profiles)}; headers seen: {listed(headers)}"
    )


def _closest(normalised: list[str], profiles: list[Profile]) -> str:
    ranked = sorted(profiles, key=lambda p: -p.closeness(normalised))
    names = [p.name for p in ranked if p.closeness(normalised) > 0][:3]
    if not names:
        return "no profile knows these headers (use `platform: generic` with `columns:`)"
    return "closest profiles: " + ", ".join(names)
