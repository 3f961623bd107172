"""Choosing the profile of a file: by name (`platform: NAME`) or from its header (`platform: auto`)."""

from __future__ import annotations

import difflib
import fnmatch
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.i18n import Wording
from kpi_cli.sources.listing import listed_said
from kpi_cli.sources.profile import Profile, normalise


def named(name: str, profiles: list[Profile], path: Path) -> Profile:
    by_name = {profile.name: profile for profile in reversed(profiles)}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, list(by_name), n=1)
    # Platform names are identifiers: listed with ", " in either language.
    said = {"path": str(path), "name": name, "known": ", ".join(["auto", *sorted(by_name)])}
    if close:
        raise DataError.said("error.detect.platform.close", **said, close=close[0])
    raise DataError.said("error.detect.platform", **said)


def detected(headers: list[str], profiles: list[Profile], path: Path) -> Profile:
    """The profile with the best complete signature; an error naming the closest ones otherwise."""
    normalised = [normalise(h) for h in headers]
    scores = [(profile.detection_score(normalised), -i, profile) for i, profile in enumerate(profiles)]
    score, _, best = max(scores, key=lambda entry: entry[:2])
    if score > 0:
        return best
    said = {"path": str(path), "closest": _closest(normalised, profiles), "headers": listed_said(headers)}
    raise DataError.said("error.detect.layout", **said)


def _closest(normalised: list[str], profiles: list[Profile]) -> Wording:
    ranked = sorted(profiles, key=lambda p: -p.closeness(normalised))
    names = [p.name for p in ranked if p.closeness(normalised) > 0][:3]
    if not names:
        return Wording("error.detect.no_profile")
    return Wording("error.detect.closest", {"names": ", ".join(names)})


def near_matches(headers: list[str], chosen: Profile, profiles: list[Profile], path: Path) -> list[str]:
    """Warnings for a file read by a profile other than the one its name or headers point to.

    A file named like a platform's download, or holding most of a platform's signature, but read
    by another profile (`generic` above all) has some of its columns unread: say which platform
    it looks like, so the user can name it with `platform:` or map the columns.
    """
    normalised = [normalise(h) for h in headers]
    plain = frozenset(normalise(a.text) for p in profiles if p.name == "generic" for a in p.known())
    warnings = []
    for profile in profiles:
        if profile.name == chosen.name or profile.name == "generic":
            continue
        named = any(fnmatch.fnmatch(path.name.casefold(), p.casefold()) for p in profile.file_names)
        partial = profile.near_miss(normalised, plain) if chosen.name == "generic" else None
        if named and profile.detection_score(normalised) == 0:
            warnings.append(
                f"{path.name} is named like a {profile.name} export but its headers are not a "
                f"{profile.name} layout kpi knows; read as {chosen.name}"
            )
        elif partial:
            warnings.append(
                f"{path.name} looks like a {profile.name} export ({partial}); read as {chosen.name}, "
                f"so only its canonical headers are read"
            )
    return warnings
