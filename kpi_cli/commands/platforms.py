"""`kpi platforms`: the built-in profiles, what each maps and how each is detected."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.sources.profiles import BUILTIN, available


def list_platforms(profiles_dir: Path | None = None) -> list[dict[str, object]]:
    """Built-in profiles, plus the user's YAML profiles when `profiles_dir` is given."""
    profiles = available(profiles_dir) if profiles_dir else list(BUILTIN)
    return [
        {
            "name": profile.name,
            "title": profile.title,
            "maps": {canonical: list(aliases) for canonical, aliases in profile.aliases().items()},
            "detect": profile.describe_detection(),
        }
        for profile in profiles
    ]
